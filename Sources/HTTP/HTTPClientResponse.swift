/// A response to ``HTTP1ClientConnection/send(_:deadline:)``: status and fields at once, the body as it arrives.
public struct HTTPClientResponse: Sendable {
    /// The status code, for example 200.
    public var status: Int
    /// The response's header fields.
    public var headers: HTTPHeaders
    /// The body, de-chunked, as a sequence of byte chunks; it can be iterated once.
    public var body: HTTPClientBody

    /// Reads the whole body.
    ///
    /// - Parameter maxBytes: The most bytes accepted.
    /// - Throws: ``HTTPClientError/bodyTooLarge`` past `maxBytes` (the connection is then not reusable), or a read error.
    public func collect(upTo maxBytes: Int) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await piece in body {
            guard all.count + piece.count <= maxBytes else { throw HTTPClientError.tooLarge(maxBytes) }
            if all.isEmpty { all = piece } else { all.append(contentsOf: piece) }
        }
        return all
    }
}

/// A response body: an `AsyncSequence` of byte chunks as they arrive, with `Content-Length`, chunked
/// (extensions and trailers dropped) or read-until-close framing. Each chunk is at most what one read buffered (about 16 KiB),
/// so a long watch costs bounded memory. Iterate it once, to the end, to make the connection reusable.
public struct HTTPClientBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    /// The connection the body is read from; `nil` for a response without a body.
    let connection: HTTP1ClientConnection?

    public func makeAsyncIterator() -> Iterator {
        Iterator(connection: connection)
    }

    /// Reads the body chunk by chunk.
    public struct Iterator: AsyncIteratorProtocol {
        private let connection: HTTP1ClientConnection?
        private var reader: ByteReader?
        private var framing = HTTP1ClientConnection.BodyFraming.length(0)
        private var keepAlive = false
        private var deadline: ContinuousClock.Instant?
        private var decoder = ChunkedDecoder()
        private var finished: Bool

        init(connection: HTTP1ClientConnection?) {
            self.connection = connection
            finished = connection == nil
        }

        /// The next chunk of the body, or `nil` at its end.
        public mutating func next() async throws -> [UInt8]? {
            guard !finished, let connection else { return nil }
            if reader == nil {
                guard let body = connection.takeBody() else { throw HTTPClientError.bodyAlreadyRead }
                (reader, framing, keepAlive, deadline) = body
            }
            var current = reader!
            reader = nil
            let piece = try await nextPiece(&current)
            if let piece {
                reader = current
                return piece
            }
            finished = true
            connection.finishBody(current, keepAlive: keepAlive)
            return nil
        }

        private mutating func nextPiece(_ current: inout ByteReader) async throws -> [UInt8]? {
            switch framing {
            case .length(let remaining):
                guard remaining > 0 else { return nil }
                if current.readable == 0 {
                    guard try await current.fill(deadline: deadline) else { throw HTTPClientError.connectionClosed }
                }
                let count = Swift.min(remaining, current.readable)
                framing = .length(remaining - count)
                return current.take(count)
            case .chunked:
                do {
                    guard let piece = try await decoder.next(from: &current, deadline: deadline) else { return nil }
                    return Array(piece)
                } catch let error as HTTPMessageError {
                    throw HTTPClientError.malformed(error.message)
                }
            case .untilClose:
                if current.readable == 0 {
                    guard try await current.fill(deadline: deadline) else { return nil }
                }
                return current.take(current.readable)
            }
        }
    }
}
