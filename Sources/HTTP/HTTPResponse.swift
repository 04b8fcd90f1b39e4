/// A complete HTTP response, written the same way over HTTP/1.1 and HTTP/2.
///
/// The codec adds the framing headers (`Content-Length`, `Date` and, for HTTP/1.1, `Connection`);
/// a handler sets only what describes the content.
public struct HTTPResponse: Sendable {
    /// The status code, for example 200.
    public var status: Int
    /// Header fields other than framing.
    public var headers: HTTPHeaders
    /// The whole body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Answers one request. Both HTTP/1.1 and HTTP/2 connections call the same handler.
public typealias HTTPHandler = @Sendable (HTTPRequest) async -> HTTPResponse
