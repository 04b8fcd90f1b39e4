/// Raw HTTP/2 frames, for attacks that real clients do not make.
public enum RawFrame {
    /// The client connection preface followed by an empty SETTINGS frame.
    public static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + frame(type: 4, flags: 0, stream: 0, [])

    /// `GET /` with `:authority: a`, from HPACK's static table.
    public static let getBlock: [UInt8] = [0x82, 0x86, 0x84, 0x01, 0x01, 0x61]

    /// One frame: the 9-byte header (length, type, flags, stream) and `payload`.
    public static func frame(type: UInt8, flags: UInt8, stream: UInt32, _ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags,
            UInt8(stream >> 24 & 0x7F), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
    }

    /// A frame read back: its type, flags, stream and payload, and for GOAWAY the last stream id and the error code.
    public typealias Parsed = (type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8], goAway: (lastStream: UInt32, error: UInt32)?)

    /// The frames in `bytes`.
    public static func frames(in bytes: [UInt8]) -> [Parsed] {
        var frames: [Parsed] = []
        var index = 0
        while index + 9 <= bytes.count {
            let length = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            guard index + 9 + length <= bytes.count else { break }
            let stream = bytes[index + 5..<index + 9].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0x7FFF_FFFF
            let word = { (at: Int) in bytes[at..<at + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
            let goAway = bytes[index + 3] == 7 ? (word(index + 9) & 0x7FFF_FFFF, word(index + 13)) : nil
            frames.append((bytes[index + 3], bytes[index + 4], stream, Array(bytes[index + 9..<index + 9 + length]), goAway))
            index += 9 + length
        }
        return frames
    }

    /// An HPACK header block of `fields` (pseudo-headers first), each a literal without indexing and without Huffman.
    public static func headerBlock(_ fields: [(name: String, value: String)]) -> [UInt8] {
        var block: [UInt8] = []
        for (name, value) in fields {
            block.append(0x00)
            block += hpackInteger(name.utf8.count)
            block += Array(name.utf8)
            block += hpackInteger(value.utf8.count)
            block += Array(value.utf8)
        }
        return block
    }

    /// A string length as an HPACK integer with a 7-bit prefix (RFC 7541 §5.1), Huffman flag clear.
    private static func hpackInteger(_ value: Int) -> [UInt8] {
        guard value >= 127 else { return [UInt8(value)] }
        var bytes: [UInt8] = [127]
        var rest = value - 127
        while rest >= 128 {
            bytes.append(UInt8(rest & 0x7F | 0x80))
            rest >>= 7
        }
        return bytes + [UInt8(rest)]
    }

    /// Reads with `read` (empty at end of stream) until the frames read satisfy `done`, or the stream ends.
    ///
    /// - Returns: Every byte read, `bytes` first.
    public static func read(
        after bytes: [UInt8] = [], until done: ([Parsed]) -> Bool, from read: () async throws -> [UInt8]
    ) async throws -> [UInt8] {
        var output = bytes
        while !done(frames(in: output)) {
            let more = try await read()
            if more.isEmpty { break }
            output += more
        }
        return output
    }

    /// A HEADERS frame (END_HEADERS, not END_STREAM) opening `POST path` on `stream`, with
    /// `Content-Type: application/json` and `Content-Length: contentLength`.
    public static func postHeaders(stream: UInt32, path: String, contentLength: Int) -> [UInt8] {
        frame(type: 1, flags: 0x04, stream: stream, headerBlock([
            (":method", "POST"), (":scheme", "https"), (":path", path), (":authority", "localhost"),
            ("content-type", "application/json"), ("content-length", String(contentLength)),
        ]))
    }

    /// A DATA frame on `stream`, with END_STREAM when `ends`.
    public static func data(stream: UInt32, _ bytes: [UInt8], ends: Bool) -> [UInt8] {
        frame(type: 0, flags: ends ? 0x01 : 0, stream: stream, bytes)
    }

    /// `POST path` with `body` on `stream`, whole: HEADERS, then one DATA frame with END_STREAM.
    public static func post(stream: UInt32, path: String, body: [UInt8]) -> [UInt8] {
        postHeaders(stream: stream, path: path, contentLength: body.count) + data(stream: stream, body, ends: true)
    }

    /// Whether the server finished its response on `stream` (a frame on it with END_STREAM).
    public static func isAnswered(_ stream: UInt32, in frames: [Parsed]) -> Bool {
        frames.contains { $0.stream == stream && ($0.type == 0 || $0.type == 1) && $0.flags & 0x01 != 0 }
    }

    /// Whether the response on `stream` began with `:status: 200` (HPACK static index 8, as nghttp2 encodes it).
    public static func isOK(_ stream: UInt32, in frames: [Parsed]) -> Bool {
        frames.first { $0.type == 1 && $0.stream == stream }?.payload.first == 0x88
    }

    /// The DATA payloads the server sent on `stream`, joined.
    public static func body(of stream: UInt32, in frames: [Parsed]) -> [UInt8] {
        frames.filter { $0.type == 0 && $0.stream == stream }.flatMap(\.payload)
    }

    /// The payload of the server's PING that waits for an acknowledgement, if one came.
    public static func unansweredPing(in frames: [Parsed]) -> [UInt8]? {
        frames.first { $0.type == 6 && $0.flags & 0x01 == 0 }?.payload
    }

    /// The acknowledgement of a PING with `payload`.
    public static func pingAck(_ payload: [UInt8]) -> [UInt8] {
        frame(type: 6, flags: 0x01, stream: 0, payload)
    }
}
