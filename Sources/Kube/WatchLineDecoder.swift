/// Splits a watch body into events, one JSON object per line, whatever the chunk boundaries.
///
/// Bytes are buffered until a newline; a line longer than `maxLineBytes` is an error (a bounded buffer), and an event
/// whose type is `ERROR` becomes the ``KubeError`` of its `Status` (410 Expired: list again).
struct WatchLineDecoder {
    /// The largest event accepted.
    let maxLineBytes: Int
    /// `METHOD path` of the watch, for errors.
    let request: String
    private var buffer: [UInt8] = []
    private var scanned = 0

    init(maxLineBytes: Int, request: String) {
        self.maxLineBytes = maxLineBytes
        self.request = request
    }

    /// Adds bytes as they arrived.
    mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete event, or nil when more bytes are needed.
    mutating func next() throws(KubeError) -> WatchEvent? {
        while true {
            let newline = buffer[scanned...].firstIndex(of: 0x0A)
            guard (newline ?? buffer.count) <= maxLineBytes else {
                throw KubeError(kind: .decoding, request: request,
                                detail: "a watch event is longer than \(maxLineBytes) bytes without a line break")
            }
            guard let newline else {
                scanned = buffer.count
                return nil
            }
            let line = Array(buffer[..<newline])
            buffer.removeSubrange(...newline)
            scanned = 0
            guard line.contains(where: { $0 != 0x20 && $0 != 0x0D }) else { continue }
            return try decode(line)
        }
    }

    /// Whether bytes of an unfinished event are left (the stream ended mid-event).
    var hasPartialEvent: Bool { buffer.contains { $0 != 0x20 && $0 != 0x0D && $0 != 0x0A } }

    private func decode(_ line: [UInt8]) throws(KubeError) -> WatchEvent {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: line)
        } catch {
            throw KubeError(kind: .decoding, request: request, detail: "a watch event is not JSON: \(error)")
        }
        guard let type = value["type"]?.stringValue, let object = value["object"] else {
            throw KubeError(kind: .decoding, request: request, detail: "a watch event has no type or object")
        }
        if type == "ERROR" {
            let status = Status(body: object.bytes)
            throw KubeError(statusCode: status?.code ?? 500, body: object.bytes, retryAfterHeader: nil, request: request)
        }
        guard let eventType = WatchEvent.EventType(rawValue: type) else {
            throw KubeError(kind: .decoding, request: request, detail: "unknown watch event type \(type)")
        }
        return WatchEvent(type: eventType, object: object)
    }
}
