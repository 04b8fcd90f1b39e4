/// A connected, bidirectional stream of bytes: a plain TCP socket or a TLS connection.
///
/// The HTTP layer is written against this protocol only, so HTTP/1.1 and HTTP/2 run the same way
/// over plain sockets, TLS connections and in-memory pairs used by tests.
public protocol ByteStream: AnyObject, Sendable {
    /// Reads at least one byte and at most `maxCount` bytes.
    ///
    /// - Parameters:
    ///   - maxCount: The largest number of bytes to return.
    ///   - deadline: When to give up and throw a timeout error; `nil` waits for as long as it takes.
    /// - Returns: The bytes read, or an empty array when the peer has closed the stream.
    func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8]

    /// Writes all of `bytes`, suspending while the peer is slow to read.
    ///
    /// - Parameters:
    ///   - bytes: The bytes to send.
    ///   - deadline: When to give up and throw a timeout error; `nil` waits for as long as it takes.
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) async throws

    /// Closes the stream. Pending and later reads and writes fail or return end of stream. Closing twice is harmless.
    func close()
}
