import Glibc

/// A parsed HTTP/1.1 message head (request or response), with the framing facts read from its header fields.
struct HTTP1Head: Sendable {
    /// The request method; empty for a response.
    var method = ""
    /// The request target in origin-form (`/path?query`), or `*`; empty for a response.
    var target = ""
    /// The authority of an absolute-form request target (`host:port` of `http://host:port/path`), which replaces `Host`.
    var authority: String?
    /// The response status; 0 for a request.
    var status = 0
    /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    var minorVersion = 1
    /// Every header field in order.
    var headers = HTTPHeaders()
    /// The value of `Content-Length`, when present.
    var contentLength: Int?
    /// Whether `Transfer-Encoding` is present.
    var hasTransferEncoding = false
    /// Whether `Transfer-Encoding` is exactly `chunked`.
    var isChunked = false
    /// Whether `Connection` lists `close`.
    var connectionClose = false
    /// Whether `Connection` lists `keep-alive`.
    var connectionKeepAlive = false
    /// Whether `Expect: 100-continue` is present.
    var expectsContinue = false
    /// Whether the message carried a `Host` field; the one made from an absolute-form target's authority does not count.
    var hasHost = false

    /// Whether the connection stays open after this message, going by its version and `Connection` field.
    var keepsAlive: Bool {
        minorVersion == 1 ? !connectionClose : connectionKeepAlive && !connectionClose
    }
}

/// Which kind of head a ``HeadScanner`` reads.
enum HTTP1HeadKind {
    case request
    case response
}

/// Finds where a message head ends in a ``ByteReader``'s buffer across several reads, and enforces the head limits.
struct HeadScanner {
    /// Bytes of the head already looked at, counted from the reader's start.
    private var scanned = 0
    /// Where the line being scanned starts, counted from the reader's start.
    private var lineStart = 0
    /// Complete lines seen so far.
    private var lines = 0
    let maxLineBytes: Int
    let maxHeadBytes: Int
    let maxFieldCount: Int

    init(maxLineBytes: Int, maxHeadBytes: Int, maxFieldCount: Int) {
        self.maxLineBytes = maxLineBytes
        self.maxHeadBytes = maxHeadBytes
        self.maxFieldCount = maxFieldCount
    }

    /// Continues scanning the unconsumed bytes of `reader`.
    ///
    /// - Returns: The length of the head including its closing empty line, or `nil` when more bytes are needed.
    mutating func scan(_ reader: ByteReader) throws(HTTPMessageError) -> Int? {
        let limit = reader.readable
        guard scanned < limit else { return nil }
        let start = reader.start
        let found: Int? = try reader.buffer.withUnsafeBufferPointer { (all) throws(HTTPMessageError) -> Int? in
            let base = UnsafeRawPointer(all.baseAddress! + start)
            var index = scanned
            while index < limit {
                guard let newline = memchr(base + index, 0x0A, limit - index) else {
                    try checkLine(length: limit - lineStart, headLength: limit)
                    return nil
                }
                let end = base.distance(to: newline)
                let length = end - lineStart
                try checkLine(length: length, headLength: end + 1)
                if length == 0 || (length == 1 && all[start + end - 1] == UInt8(ascii: "\r")) {
                    if lines > 0 { return end + 1 }
                } else {
                    lines += 1
                    if lines > maxFieldCount + 1 { throw .headerTooLarge("more than \(maxFieldCount) header fields") }
                }
                lineStart = end + 1
                index = end + 1
            }
            return nil
        }
        scanned = limit
        return found
    }

    /// Enforces the line and head limits on a line of `length` bytes (without its LF) in a head of `headLength` bytes so far.
    private func checkLine(length: Int, headLength: Int) throws(HTTPMessageError) {
        if length > maxLineBytes {
            if lines == 0 { throw HTTPMessageError(status: 414, message: "request line longer than \(maxLineBytes) bytes") }
            throw .headerTooLarge("a header field is longer than \(maxLineBytes) bytes")
        }
        if headLength > maxHeadBytes { throw .headerTooLarge("message head larger than \(maxHeadBytes) bytes") }
    }
}
