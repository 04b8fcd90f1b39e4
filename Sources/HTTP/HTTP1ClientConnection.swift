public import Sockets
import Locking

/// An HTTP/1.1 client connection over one ``ByteStream`` (plain or TLS), carrying one request at a time with keep-alive.
///
/// Usage: ``send(_:deadline:)`` a request, then read the response's ``HTTPClientResponse/body`` to its end (or
/// ``HTTPClientResponse/collect(upTo:)``). Only then is the connection ``isReusable`` for the next request; a body left
/// unread, a server that asked to close, or any error leaves it unusable, and the caller should ``close()`` it.
public final class HTTP1ClientConnection: Sendable {
    /// Where the connection is in its request/response cycle.
    enum Phase {
        /// Ready for a request; `reusable` is false once the server asked to close or an error happened.
        case idle(reusable: Bool)
        /// A request or a response head is in progress, or the body iterator holds the reader.
        case busy
        /// The response head arrived; its body waits to be read with this framing.
        case bodyPending(BodyFraming, keepAlive: Bool, deadline: ContinuousClock.Instant?)
    }

    /// How a response body is delimited.
    enum BodyFraming: Sendable {
        case length(Int)
        case chunked
        case untilClose
    }

    private let stream: any ByteStream
    private let state: Locked<(phase: Phase, reader: ByteReader?)>

    /// Wraps a connected stream.
    public init(stream: any ByteStream) {
        self.stream = stream
        state = Locked((.idle(reusable: true), ByteReader(stream: stream)))
    }

    /// Whether another request may be sent: the last response body was read to its end and the server did not ask to close.
    public var isReusable: Bool {
        state.withLock { if case .idle(true) = $0.phase { true } else { false } }
    }

    /// Closes the underlying stream.
    public func close() {
        state.withLock { $0.phase = .idle(reusable: false) }
        stream.close()
    }

    /// Sends a request and returns once the response head arrived; the body is streamed through the response.
    ///
    /// The caller sets `Host`, `Content-Type`, `Authorization`, `Accept` and `User-Agent`; `Content-Length` is computed
    /// from the body. Informational (1xx) responses are skipped.
    ///
    /// - Parameters:
    ///   - request: The request; its `version` is ignored.
    ///   - deadline: When writing the request, waiting for the head, and each later body read give up; `nil` waits for ever
    ///     (right for a watch, whose server ends it).
    /// - Throws: ``HTTPClientError`` for a busy or closed connection or a malformed response; the stream's own errors.
    public func send(_ request: HTTPRequest, deadline: ContinuousClock.Instant?) async throws -> HTTPClientResponse {
        guard var reader = takeReader(from: { if case .idle(true) = $0 { true } else { false } }) else {
            throw HTTPClientError.connectionNotReusable
        }
        var bytes: [UInt8] = []
        HTTP1RequestWriter.write(request, into: &bytes)
        try await stream.write(bytes, deadline: deadline)
        var head = try await readHead(&reader, deadline: deadline)
        while head.status >= 100 && head.status < 200 && head.status != 101 {
            head = try await readHead(&reader, deadline: deadline)
        }
        let framing: BodyFraming
        if request.method == "HEAD" || head.status == 204 || head.status == 304 || head.status < 200 {
            framing = .length(0)
        } else if head.hasTransferEncoding {
            framing = head.isChunked ? .chunked : .untilClose
        } else if let length = head.contentLength {
            framing = .length(length)
        } else {
            framing = .untilClose
        }
        let requestCloses = request.headers.values(for: "connection").contains { $0.lowercased().contains("close") }
        let keepAlive: Bool
        if case .untilClose = framing { keepAlive = false } else { keepAlive = head.keepsAlive && !requestCloses }
        if case .length(0) = framing {
            giveBack(reader, phase: .idle(reusable: keepAlive))
            return HTTPClientResponse(status: head.status, headers: head.headers, body: HTTPClientBody(connection: nil))
        }
        giveBack(reader, phase: .bodyPending(framing, keepAlive: keepAlive, deadline: deadline))
        return HTTPClientResponse(status: head.status, headers: head.headers, body: HTTPClientBody(connection: self))
    }

    /// Reads one response head.
    private func readHead(_ reader: inout ByteReader, deadline: ContinuousClock.Instant?) async throws -> HTTP1Head {
        var scanner = HeadScanner(maxLineBytes: 64 * 1024, maxHeadBytes: 256 * 1024, maxFieldCount: 500)
        do {
            var length = try scanner.scan(reader)
            while length == nil {
                guard try await reader.fill(deadline: deadline) else { throw HTTPClientError.connectionClosed }
                length = try scanner.scan(reader)
            }
            let start = reader.start, count = length!
            let head = try reader.buffer.withUnsafeBufferPointer { (all) throws(HTTPMessageError) in
                try HTTP1HeadParser.parse(UnsafeBufferPointer(rebasing: all[start..<start + count]), kind: .response)
            }
            reader.consume(count)
            return head
        } catch let error as HTTPMessageError {
            throw HTTPClientError.malformed(error.message)
        }
    }

    /// Takes the reader out when the phase passes `accepts`, marking the connection busy.
    private func takeReader(from accepts: (Phase) -> Bool) -> ByteReader? {
        state.withLock { state in
            guard accepts(state.phase), let reader = state.reader else { return nil }
            state.reader = nil
            state.phase = .busy
            return reader
        }
    }

    /// Puts the reader back with a new phase.
    private func giveBack(_ reader: ByteReader, phase: Phase) {
        state.withLock { $0 = (phase, reader) }
    }

    /// Hands the reader to a body iterator, with the framing of the pending body; `nil` when no body is pending.
    func takeBody() -> (ByteReader, BodyFraming, keepAlive: Bool, deadline: ContinuousClock.Instant?)? {
        state.withLock { state in
            guard case .bodyPending(let framing, let keepAlive, let deadline) = state.phase, let reader = state.reader else { return nil }
            state.reader = nil
            state.phase = .busy
            return (reader, framing, keepAlive, deadline)
        }
    }

    /// Called by the body iterator once the body was read to its end.
    func finishBody(_ reader: ByteReader, keepAlive: Bool) {
        giveBack(reader, phase: .idle(reusable: keepAlive))
    }
}
