import Kube
import Logging

/// A failed API call as the reconciler reports it: a reason for metric labels, the error in its own words, and what
/// to do about it when the caller knows no better.
struct APIFailure: Sendable {
    /// The class of failure, as a metric label.
    enum Reason: String, Sendable {
        case namespaceNotFound = "namespace_not_found"
        case notFound = "not_found"
        case forbidden, unauthorized, conflict, timeout, throttled, expired, invalid, transport
        case serverError = "server_error"
        case other
    }

    /// The class of failure.
    var reason: Reason
    /// What happened: the request, the status and the server's message.
    var cause: String
    /// What a person can do about it, in general terms.
    var hint: String

    /// Classifies a thrown error.
    init(_ error: any Error) {
        guard let error = error as? KubeError else {
            self.init(reason: .other, cause: "\(error)", hint: "")
            return
        }
        let reason: Reason =
            switch error.kind {
            case .notFound: error.status?.details?.kind == "namespaces" ? .namespaceNotFound : .notFound
            case .forbidden: .forbidden
            case .unauthorized: .unauthorized
            case .conflict: .conflict
            case .timeout: .timeout
            case .tooManyRequests: .throttled
            case .gone: .expired
            case .invalid: error.isFailedJSONPatchTest ? .conflict : .invalid
            case .transport: .transport
            case .serverError: .serverError
            default: .other
            }
        self.init(reason: reason, cause: error.summary, hint: error.hint)
    }

    /// Classifies an answer that is not a success.
    init(_ response: APIResponse, request: String) {
        self.init(KubeError(statusCode: response.status, body: response.body, retryAfterHeader: nil, request: request))
    }

    private init(reason: Reason, cause: String, hint: String) {
        self.reason = reason
        self.cause = cause
        self.hint = hint
    }

    /// Logs `message` at warning with the cause and `fix`, unless `limiter` held back the same cause within the minute.
    func warn(_ message: Logger.Message, fix: String, key: String, limiter: WarningLimiter, logger: Logger, metadata: Logger.Metadata = [:]) {
        guard let suppressed = limiter.admit(key + "/" + reason.rawValue) else { return }
        var fields = metadata
        fields["reason"] = "\(reason.rawValue)"
        fields["error"] = "\(cause)"
        fields["fix"] = "\(fix.isEmpty ? hint : fix)"
        if suppressed > 0 { fields["repeated"] = "\(suppressed) more times in the last minute" }
        logger.warning(message, metadata: fields)
    }
}
