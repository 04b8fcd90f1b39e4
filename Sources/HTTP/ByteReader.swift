import Sockets

/// Buffered reading from a ``ByteStream``: bytes read but not yet consumed stay in ``buffer`` from ``start``.
///
/// A value type, so that exactly one owner (a server connection, or a client connection and then its response body)
/// reads at a time.
struct ByteReader: Sendable {
    /// The most bytes asked of the stream at once; also bounds how much a client body buffers.
    static let readSize = 16 * 1024

    /// The stream read from.
    let stream: any ByteStream
    /// Bytes read from the stream; those before ``start`` are consumed.
    private(set) var buffer: [UInt8] = []
    /// The index of the first unconsumed byte in ``buffer``.
    private(set) var start = 0

    init(stream: any ByteStream) {
        self.stream = stream
    }

    /// How many bytes are buffered and unconsumed.
    var readable: Int { buffer.count - start }

    /// Reads more bytes from the stream into the buffer.
    ///
    /// - Returns: `false` when the peer has closed the stream.
    mutating func fill(deadline: ContinuousClock.Instant?) async throws -> Bool {
        let chunk = try await stream.read(maxCount: Self.readSize, deadline: deadline)
        if chunk.isEmpty { return false }
        if start == buffer.count {
            buffer = chunk
            start = 0
        } else {
            if start > 0 && start >= buffer.count / 2 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            buffer.append(contentsOf: chunk)
        }
        return true
    }

    /// Marks `count` buffered bytes as consumed.
    mutating func consume(_ count: Int) {
        start += count
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
    }

    /// Takes `count` buffered bytes out as an array and consumes them.
    mutating func take(_ count: Int) -> [UInt8] {
        if start == 0 && count == buffer.count {
            defer { buffer = []; start = 0 }
            return buffer
        }
        defer { consume(count) }
        return Array(buffer[start..<start + count])
    }
}
