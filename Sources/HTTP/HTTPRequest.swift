/// The HTTP version a message travelled over.
public enum HTTPVersion: Sendable, Equatable {
    case http1_1
    case http2
}

/// A complete HTTP request, the same value whether it arrived over HTTP/1.1 or HTTP/2.
public struct HTTPRequest: Sendable {
    /// The method, for example `POST`.
    public var method: String
    /// The request target as sent: path and query, for example `/validate?timeout=5s`.
    public var target: String
    /// Header fields. For HTTP/2, pseudo-headers are not included; `:authority` appears as `host`.
    public var headers: HTTPHeaders
    /// The whole body. Limits are enforced by the codec before a handler sees the request.
    public var body: [UInt8]
    /// The protocol the request arrived on.
    public var version: HTTPVersion

    /// Creates a request.
    public init(method: String, target: String, headers: HTTPHeaders = [:], body: [UInt8] = [], version: HTTPVersion = .http1_1) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.version = version
    }

    /// The path part of ``target``, without the query.
    public var path: Substring {
        target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(target)
    }
}
