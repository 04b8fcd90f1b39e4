public import HTTP

/// One request to the API server, as sent.
public struct KubeRequest: Sendable {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    public var method: String
    /// Path and query, for example `/api/v1/namespaces/ml/pods?labelSelector=app%3Dweb`.
    public var path: String
    /// The body's media type, when there is a body.
    public var contentType: String?
    /// The body.
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String, path: String, contentType: String? = nil, body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.contentType = contentType
        self.body = body
    }

    /// `METHOD path`, for messages.
    public var summary: String { "\(method) \(path)" }

    /// Whether sending it twice does no harm, so a request that failed on a stale keep-alive connection may be resent.
    var isIdempotent: Bool { ["GET", "HEAD", "PUT", "DELETE"].contains(method) }
}

/// The API server's answer, whatever its status.
public struct KubeResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The header fields.
    public var headers: HTTPHeaders
    /// The whole body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
