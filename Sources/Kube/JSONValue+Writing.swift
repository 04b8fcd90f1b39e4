import JSON

extension JSONValue {
    /// Compact JSON.
    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Compact JSON as UTF-8 bytes: no spaces, members in order, UTF-8 kept as is.
    public var bytes: [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }

    private func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.raw("null")
        case .bool(let flag): writer.raw(flag ? "true" : "false")
        case .int(let number): writer.raw(String(number))
        case .double(let number): writer.raw(number.isFinite ? "\(number)" : "null")
        case .string(let text): writer.string(text)
        case .array(let items):
            writer.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { writer.raw(",") }
                item.write(to: &writer)
            }
            writer.raw("]")
        case .object(let members):
            writer.raw("{")
            for (index, (key, item)) in members.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(key)
                writer.raw(":")
                item.write(to: &writer)
            }
            writer.raw("}")
        }
    }
}
