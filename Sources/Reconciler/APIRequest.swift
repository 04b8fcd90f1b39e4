public import Kube
/// One request to the Kubernetes API, exactly as sent: what the reconciler's tests compare with what a real API server expects.
public struct APIRequest: Sendable, Hashable, CustomStringConvertible {
    /// `GET`, `PATCH` or `POST`.
    public var method: String
    /// The path, with its query string when it has one.
    public var path: String
    /// The body's media type, for requests with a body.
    public var contentType: String?
    /// The body.
    public var body: [UInt8]?

    /// Creates a request.
    public init(method: String, path: String, contentType: String? = nil, body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.contentType = contentType
        self.body = body
    }

    /// A `GET`.
    public static func get(_ path: String) -> APIRequest { APIRequest(method: "GET", path: path) }

    /// A `PATCH` with `application/merge-patch+json`.
    public static func mergePatch(_ path: String, _ body: JSONValue) -> APIRequest {
        APIRequest(method: "PATCH", path: path, contentType: "application/merge-patch+json", body: body.bytes)
    }

    /// A `POST` with `application/json`.
    public static func post(_ path: String, _ body: JSONValue) -> APIRequest {
        APIRequest(method: "POST", path: path, contentType: "application/json", body: body.bytes)
    }

    /// `METHOD path` and the body, for logs and test failures.
    public var description: String {
        "\(method) \(path)" + (body.map { " \(contentType ?? "") " + String(decoding: $0, as: UTF8.self) } ?? "")
    }
}

/// The answer to an ``APIRequest``.
public struct APIResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The body.
    public var body: [UInt8]
    /// The delay a `Retry-After` header asked for.
    public var retryAfter: Duration?

    /// Creates a response.
    public init(status: Int, body: [UInt8], retryAfter: Duration? = nil) {
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Something that sends API requests: the Kubernetes client, or a fake in unit tests.
public protocol APITransport: Sendable {
    /// Sends `request` and returns the answer, whatever its status; throws only when no answer came (connection, timeout).
    func send(_ request: APIRequest) async throws -> APIResponse
}
