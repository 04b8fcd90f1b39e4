/// Why a Kubernetes API call failed: decoded from the `Status` body, or a transport failure.
///
/// Switch on ``kind``; ``isTemporary`` says whether a retry with backoff can help, and ``retryAfter`` how long the server
/// asked to wait. ``description`` is a sentence a person can act on.
public struct KubeError: Error, Sendable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: Sendable, Equatable {
        /// 400: the request was malformed (a bug, or a field the server rejects).
        case badRequest
        /// 401: the credentials were not accepted (expired or wrong token, untrusted client certificate).
        case unauthorized
        /// 403: authenticated, but RBAC does not allow this verb on this resource.
        case forbidden
        /// 404: the object, namespace or resource type does not exist.
        case notFound
        /// 409: a resourceVersion precondition failed (`Conflict`) or the object already exists (`AlreadyExists`).
        case conflict
        /// 410: the resourceVersion is too old (`Expired`): list again.
        case gone
        /// 415: the patch type is not accepted for this resource.
        case unsupportedMediaType
        /// 422: the object is invalid, or a JSON patch `test` failed (see ``KubeError/isFailedJSONPatchTest``).
        case invalid
        /// 429: too many requests, or an eviction refused by a PodDisruptionBudget.
        case tooManyRequests
        /// 5xx: the API server (or a webhook behind it) failed.
        case serverError
        /// Another HTTP status.
        case otherStatus
        /// No usable answer: connection refused or dropped, TLS failure, malformed response.
        case transport
        /// The deadline passed before the answer came.
        case timeout
        /// The answer arrived but could not be decoded into the expected type.
        case decoding
    }

    /// The class of failure.
    public var kind: Kind
    /// The HTTP status code, when an answer came.
    public var statusCode: Int?
    /// The `Status` the server sent, if any.
    public var status: Status?
    /// What the request was: `PATCH /apis/...`.
    public var request: String
    /// The server's or the transport's own message.
    public var detail: String
    /// The delay the server asked for (`Retry-After` header or `details.retryAfterSeconds`).
    public var retryAfter: Duration?
    /// Whether this is the 422 of a JSON patch whose `test` operation failed: someone else changed the object (a conflict).
    public var isFailedJSONPatchTest: Bool

    /// Creates an error.
    public init(
        kind: Kind, statusCode: Int? = nil, status: Status? = nil, request: String, detail: String,
        retryAfter: Duration? = nil, isFailedJSONPatchTest: Bool = false
    ) {
        self.kind = kind
        self.statusCode = statusCode
        self.status = status
        self.request = request
        self.detail = detail
        self.retryAfter = retryAfter
        self.isFailedJSONPatchTest = isFailedJSONPatchTest
    }

    /// Decodes an error answer.
    ///
    /// - Parameters:
    ///   - statusCode: The HTTP status.
    ///   - body: The body (a `Status`, or text such as `404 page not found`).
    ///   - retryAfterHeader: The `Retry-After` header, if any.
    ///   - request: `METHOD path`, for the message.
    ///   - sentJSONPatchTest: Whether the request was a JSON patch with a `test` operation.
    public init(statusCode: Int, body: [UInt8], retryAfterHeader: String?, request: String, sentJSONPatchTest: Bool = false) {
        let status = Status(body: body)
        let kind: Kind =
            switch statusCode {
            case 400: .badRequest
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 409: .conflict
            case 410: .gone
            case 415: .unsupportedMediaType
            case 422: .invalid
            case 429: .tooManyRequests
            case 500...599: .serverError
            default: .otherStatus
            }
        var retry: Duration?
        if let header = retryAfterHeader?.trimmingSpaces, let seconds = Int(header) {
            retry = .seconds(seconds)
        } else if let seconds = status?.details?.retryAfterSeconds {
            retry = .seconds(seconds)
        }
        let text = status?.message ?? String(decoding: body.prefix(300), as: UTF8.self).trimmingSpaces
        self.init(
            kind: kind, statusCode: statusCode, status: status, request: request, detail: text, retryAfter: retry,
            isFailedJSONPatchTest: statusCode == 422 && sentJSONPatchTest && (status?.details?.causes ?? []).isEmpty)
    }

    /// Whether retrying with backoff can succeed: 5xx, 429, 409 Conflict, 410 (after a new list), a failed JSON-patch
    /// `test`, timeouts and transport failures. 400, 401, 403, 404, 415 and other 422s are permanent.
    public var isTemporary: Bool {
        switch kind {
        case .serverError, .tooManyRequests, .conflict, .gone, .timeout, .transport: true
        case .invalid: isFailedJSONPatchTest
        default: false
        }
    }

    /// Whether a 409 means the object already exists (rather than a stale resourceVersion).
    public var isAlreadyExists: Bool { kind == .conflict && status?.reason == "AlreadyExists" }

    public var description: String { summary + (hint.isEmpty ? "" : "; " + hint) }

    /// What failed, without the advice: the request, the status code (once, even when the body starts with it, as
    /// `404 page not found` does) and the server's message with its causes.
    public var summary: String {
        let code = statusCode.map { "\($0) " } ?? ""
        let causes = (status?.details?.causes ?? []).compactMap(\.message).filter { $0 != detail }
        let more = causes.isEmpty ? "" : " (" + causes.joined(separator: "; ") + ")"
        return "\(request): \(detail.hasPrefix(code) ? "" : code)\(detail)\(more)"
    }

    /// What a person can do about it in general; "" when the message says it all.
    public var hint: String {
        switch kind {
        case .unauthorized: "check the token or client certificate in the kubeconfig or service account"
        case .forbidden: "grant this verb on this resource to triggergate's service account (see deploy/ RBAC)"
        case .notFound: "check that the object, its namespace and its API group/version exist"
        case .conflict: isAlreadyExists ? "" : "the object changed since it was read; read it again and retry"
        case .gone: "the resourceVersion is too old; list again"
        case .invalid: isFailedJSONPatchTest ? "the object changed since it was read; read it again and retry" : ""
        case .tooManyRequests: retryAfter.map { "retry after \($0.components.seconds) s" } ?? "retry later"
        case .serverError: "the API server or one of its webhooks failed; retry later"
        case .transport: "check the API server address, network and TLS settings"
        case .timeout: "the API server did not answer in time; retry later"
        default: ""
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
