/// Decodes a `Transfer-Encoding: chunked` body from a ``ByteReader``, piece by piece, for servers and clients alike.
///
/// Chunk extensions are skipped and trailer fields are read and dropped. Memory stays bounded by the reader's buffer:
/// a piece is whatever part of the current chunk is already buffered.
struct ChunkedDecoder: Sendable {
    /// The longest chunk-size line (with extensions) or trailer section accepted.
    static let maxLineBytes = 4096

    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers(seen: Int)
        case done
    }

    private var state = State.size
    /// How many bytes of the line being read (chunk size or trailer) were already looked at for its LF, so that a
    /// line arriving a byte at a time is scanned once, not once per byte.
    private var lineScanned = 0

    /// Returns the next piece of body data, or `nil` once the last chunk and the trailers have been read.
    ///
    /// - Parameters:
    ///   - reader: The reader the body comes from; framing bytes are consumed from it.
    ///   - deadline: When a read that makes no progress gives up.
    /// - Throws: ``HTTPMessageError`` (400) for bad framing or a body cut short; the stream's errors as they come.
    mutating func next(from reader: inout ByteReader, deadline: ContinuousClock.Instant?) async throws -> ArraySlice<UInt8>? {
        while true {
            switch state {
            case .done:
                return nil
            case .data(let remaining):
                if reader.readable == 0 { try await fillOrFail(&reader, deadline: deadline) }
                let count = min(remaining, reader.readable)
                let piece = reader.buffer[reader.start..<reader.start + count]
                reader.consume(count)
                state = count == remaining ? .dataEnd : .data(remaining: remaining - count)
                return piece
            case .size:
                guard let line = try lineLength(in: reader) else {
                    try await fillOrFail(&reader, deadline: deadline)
                    continue
                }
                let size = try chunkSize(reader, lineLength: line)
                reader.consume(line)
                state = size == 0 ? .trailers(seen: 0) : .data(remaining: size)
            case .dataEnd:
                while reader.readable < 2 { try await fillOrFail(&reader, deadline: deadline) }
                guard reader.buffer[reader.start] == UInt8(ascii: "\r"), reader.buffer[reader.start + 1] == UInt8(ascii: "\n") else {
                    throw HTTPMessageError.badRequest("a chunk is not followed by CRLF")
                }
                reader.consume(2)
                state = .size
            case .trailers(let seen):
                guard let line = try lineLength(in: reader) else {
                    try await fillOrFail(&reader, deadline: deadline)
                    continue
                }
                reader.consume(line)
                guard seen + line <= Self.maxLineBytes else { throw HTTPMessageError.badRequest("chunked trailers are too large") }
                state = line == 2 ? .done : .trailers(seen: seen + line)
            }
        }
    }

    private func fillOrFail(_ reader: inout ByteReader, deadline: ContinuousClock.Instant?) async throws {
        guard try await reader.fill(deadline: deadline) else {
            throw HTTPMessageError.badRequest("the connection closed inside a chunked body")
        }
    }

    /// The length of the buffered line including its CRLF, or `nil` when its end is not buffered yet.
    private mutating func lineLength(in reader: ByteReader) throws(HTTPMessageError) -> Int? {
        let end = min(reader.readable, Self.maxLineBytes)
        for offset in lineScanned..<end where reader.buffer[reader.start + offset] == UInt8(ascii: "\n") {
            guard offset > 0, reader.buffer[reader.start + offset - 1] == UInt8(ascii: "\r") else {
                throw .badRequest("a chunk line does not end with CRLF")
            }
            lineScanned = 0
            return offset + 1
        }
        if reader.readable >= Self.maxLineBytes { throw .badRequest("a chunk-size line is too long") }
        lineScanned = end
        return nil
    }

    /// Parses the hexadecimal size at the start of the chunk-size line; extensions after `;` are ignored.
    private func chunkSize(_ reader: ByteReader, lineLength: Int) throws(HTTPMessageError) -> Int {
        var size = 0
        var digits = 0
        var offset = 0
        while offset < lineLength - 2 {
            let byte = reader.buffer[reader.start + offset]
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
            default: value = -1
            }
            if value < 0 { break }
            digits += 1
            guard digits <= 15 else { throw .badRequest("a chunk size is too large") }
            size = size * 16 + value
            offset += 1
        }
        guard digits > 0 else { throw .badRequest("a chunk size is not a hexadecimal number") }
        while offset < lineLength - 2, reader.buffer[reader.start + offset] == UInt8(ascii: " ")
            || reader.buffer[reader.start + offset] == UInt8(ascii: "\t") {
            offset += 1
        }
        guard offset == lineLength - 2 || reader.buffer[reader.start + offset] == UInt8(ascii: ";") else {
            throw .badRequest("a chunk size is followed by something other than an extension")
        }
        return size
    }
}
