/// Limits and timeouts a server connection enforces before any handler runs (SPEC §6).
public struct HTTPServerLimits: Sendable {
    /// The largest request body accepted; a larger one is answered with 413. Default 7 MiB.
    public var maxBodyBytes: Int
    /// The longest single line of a request head (request line or header field); longer gets 431. Default 8 KiB.
    public var maxHeaderLineBytes: Int
    /// The largest request head in total (HTTP/2: the decoded header list); larger gets 431. Default 32 KiB.
    public var maxHeaderBytes: Int
    /// The most header fields in one request; more gets 431. Default 100.
    public var maxHeaderCount: Int
    /// How long a client may take from the first byte of a request to the end of its head (HTTP/1.1), or from the
    /// first frame of a header block to its END_HEADERS (HTTP/2); also how long a new connection may take to start its
    /// first request (HTTP/2: to begin its first header block). Default 10 s.
    public var headerReadTimeout: Duration
    /// How long an idle keep-alive connection stays open. Default 125 s (the API server closes idle ones after 90 s).
    public var idleTimeout: Duration
    /// How long a request body may go without progress before the connection is dropped. Default 30 s.
    public var bodyReadTimeout: Duration
    /// How long writing a response may take before the connection is dropped. Default 30 s.
    public var writeTimeout: Duration
    /// HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS`. Default 100.
    public var maxConcurrentStreams: Int

    /// Creates the defaults of SPEC §6.
    public init() {
        maxBodyBytes = 7 * 1024 * 1024
        maxHeaderLineBytes = 8 * 1024
        maxHeaderBytes = 32 * 1024
        maxHeaderCount = 100
        headerReadTimeout = .seconds(10)
        idleTimeout = .seconds(125)
        bodyReadTimeout = .seconds(30)
        writeTimeout = .seconds(30)
        maxConcurrentStreams = 100
    }
}
