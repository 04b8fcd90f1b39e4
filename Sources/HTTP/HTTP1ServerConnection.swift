public import Sockets
import Synchronization

/// Serves HTTP/1.1 on `stream` until the peer closes, a timeout or limit ends the connection, or `drain` fires;
/// then closes the stream.
///
/// Requests are answered in order, pipelined ones included. Framing errors get 400, 413, 414, 431 or 505 with
/// `Connection: close`; the handler is never called for them.
///
/// - Parameters:
///   - stream: The connection, already past any TLS handshake.
///   - limits: Sizes and timeouts to enforce.
///   - drain: When fired, the request in progress is answered with `Connection: close`; an idle connection closes at once.
///     A new connection still gets its first request, within the header read timeout, answered with `Connection: close`:
///     its client was accepted and sends it in good faith, and a close would fail it.
///   - handler: Answers each request.
public func serveHTTP1(stream: any ByteStream, limits: HTTPServerLimits, drain: DrainSignal, handler: @escaping HTTPHandler) async {
    let phase = ConnectionPhase()
    let observer = drain.observe { [phase, stream] in
        if phase.closeIfIdle() { stream.close() }
    }
    var connection = HTTP1ServerConnection(reader: ByteReader(stream: stream), limits: limits, phase: phase, drain: drain)
    await connection.run(handler: handler)
    drain.cancel(observer)
    stream.close()
}

/// Whether a server connection waits for its first request, waits for another (and may be closed by a drain), or is
/// working on one.
final class ConnectionPhase: Sendable {
    private static let idle = 0, busy = 1, closed = 2, new = 3
    private let value = Atomic<Int>(ConnectionPhase.new)

    /// Marks the connection idle.
    func becomeIdle() { value.store(Self.idle, ordering: .releasing) }

    /// Marks a new or idle connection busy; `false` when a drain closed it first.
    func becomeBusy() -> Bool {
        value.compareExchange(expected: Self.idle, desired: Self.busy, ordering: .acquiringAndReleasing).exchanged
            || value.compareExchange(expected: Self.new, desired: Self.busy, ordering: .acquiringAndReleasing).exchanged
    }

    /// Marks an idle connection closed; `true` when it was idle, so the caller closes it.
    func closeIfIdle() -> Bool {
        value.compareExchange(expected: Self.idle, desired: Self.closed, ordering: .acquiringAndReleasing).exchanged
    }
}

/// The client closed the connection in the middle of a request; nothing is left to answer.
private struct PeerClosed: Error {}

/// One HTTP/1.1 server connection: reads requests, calls the handler, writes responses.
struct HTTP1ServerConnection {
    var reader: ByteReader
    let limits: HTTPServerLimits
    let phase: ConnectionPhase
    let drain: DrainSignal
    var dates = HTTPDateCache()
    var output: [UInt8] = []
    /// Whether a request has started on this connection.
    var servedAny = false

    init(reader: ByteReader, limits: HTTPServerLimits, phase: ConnectionPhase, drain: DrainSignal) {
        self.reader = reader
        self.limits = limits
        self.phase = phase
        self.drain = drain
    }

    /// Serves requests until the connection should end.
    mutating func run(handler: HTTPHandler) async {
        do {
            while let request = try await nextRequest() {
                let keepAlive = request.keepAlive && !drain.isDraining
                let response = await handler(request.request)
                let close = !keepAlive || HTTP1ResponseWriter.asksToClose(response.headers) || drain.isDraining
                try await send(response, omitBody: request.request.method == "HEAD", close: close, http10: request.http10)
                if close { return }
            }
        } catch let error as HTTPMessageError {
            await reject(error)
        } catch {
            return
        }
    }

    /// Waits for and reads the next request; `nil` when the connection should end quietly.
    ///
    /// A new connection gets the header read timeout for its first byte, drain or not; between requests, the idle
    /// timeout applies, and a drain ends the wait.
    private mutating func nextRequest() async throws -> (request: HTTPRequest, keepAlive: Bool, http10: Bool)? {
        if servedAny {
            phase.becomeIdle()
            if drain.isDraining { return nil }
        }
        if reader.readable == 0 {
            let wait = servedAny ? limits.idleTimeout : limits.headerReadTimeout
            guard try await reader.fill(deadline: .now + wait) else { return nil }
        }
        servedAny = true
        guard phase.becomeBusy() else { return nil }
        let headDeadline = ContinuousClock.now + limits.headerReadTimeout
        var scanner = HeadScanner(
            maxLineBytes: limits.maxHeaderLineBytes, maxHeadBytes: limits.maxHeaderBytes, maxFieldCount: limits.maxHeaderCount)
        var headLength = try scanner.scan(reader)
        while headLength == nil {
            guard try await reader.fill(deadline: headDeadline) else { return nil }
            headLength = try scanner.scan(reader)
        }
        let length = headLength!
        let start = reader.start
        let head = try reader.buffer.withUnsafeBufferPointer { (all) throws(HTTPMessageError) in
            try HTTP1HeadParser.parse(UnsafeBufferPointer(rebasing: all[start..<start + length]), kind: .request)
        }
        reader.consume(length)
        let body = try await readBody(head)
        let request = HTTPRequest(method: head.method, target: head.target, headers: head.headers, body: body, version: .http1_1)
        return (request, head.keepsAlive, head.minorVersion == 0)
    }

    /// Checks the framing of `head` and reads its body.
    private mutating func readBody(_ head: HTTP1Head) async throws -> [UInt8] {
        if head.hasTransferEncoding {
            guard head.contentLength == nil else { throw HTTPMessageError.badRequest("both Content-Length and Transfer-Encoding") }
            guard head.isChunked, head.minorVersion == 1 else {
                throw HTTPMessageError.badRequest("Transfer-Encoding other than chunked, or with HTTP/1.0")
            }
        }
        if head.minorVersion == 1 && !head.hasHost { throw HTTPMessageError.badRequest("HTTP/1.1 request without Host") }
        if let length = head.contentLength, length > limits.maxBodyBytes { throw tooLarge }
        guard head.isChunked || (head.contentLength ?? 0) > 0 else { return [] }
        if head.expectsContinue && head.minorVersion == 1 {
            try await reader.stream.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), deadline: .now + limits.writeTimeout)
        }
        if let length = head.contentLength {
            while reader.readable < length {
                guard try await reader.fill(deadline: .now + limits.bodyReadTimeout) else { throw PeerClosed() }
            }
            return reader.take(length)
        }
        var decoder = ChunkedDecoder()
        var body: [UInt8] = []
        while let piece = try await decoder.next(from: &reader, deadline: .now + limits.bodyReadTimeout) {
            guard body.count + piece.count <= limits.maxBodyBytes else { throw tooLarge }
            body.append(contentsOf: piece)
        }
        return body
    }

    private var tooLarge: HTTPMessageError {
        HTTPMessageError(status: 413, message: "the request body is larger than \(limits.maxBodyBytes) bytes")
    }

    /// Writes one response.
    private mutating func send(_ response: HTTPResponse, omitBody: Bool, close: Bool, http10: Bool) async throws {
        output.removeAll(keepingCapacity: true)
        let connection: StaticString? = close ? "close" : (http10 ? "keep-alive" : nil)
        HTTP1ResponseWriter.write(response, omitBody: omitBody, connection: connection, date: dates.now(), into: &output)
        try await reader.stream.write(output, deadline: .now + limits.writeTimeout)
    }

    /// Answers a framing error with its status and `Connection: close`, then reads and drops what the client still
    /// sends for a moment, so that the answer is not lost to a reset.
    private mutating func reject(_ error: HTTPMessageError) async {
        let response = HTTPResponse(
            status: error.status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array((error.message + "\n").utf8))
        do {
            try await send(response, omitBody: false, close: true, http10: false)
            let deadline = ContinuousClock.now + .seconds(1)
            var discarded = 0
            while discarded < limits.maxBodyBytes + 65536 {
                let bytes = try await reader.stream.read(maxCount: ByteReader.readSize, deadline: deadline)
                if bytes.isEmpty { return }
                discarded += bytes.count
            }
        } catch {
            return
        }
    }
}
