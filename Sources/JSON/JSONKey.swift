/// An object key as read: its UTF-8 bytes, compared with literals byte by byte, so that the many keys a reader skips
/// are never made into `String`s.
public struct JSONKey: Sendable {
    /// The key's UTF-8 bytes, escapes decoded (checked to be UTF-8).
    public let utf8: ArraySlice<UInt8>

    @usableFromInline init(utf8: ArraySlice<UInt8>) {
        self.utf8 = utf8
    }

    /// The key as a `String`.
    public var string: String { utf8.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }

    /// Whether `key` is spelt exactly `literal`; this lets `switch key { case "uid": … }` match keys.
    @inlinable public static func ~= (literal: StaticString, key: JSONKey) -> Bool {
        literal.withUTF8Buffer { text in
            text.count == key.utf8.count && key.utf8.withUnsafeBufferPointer { $0.elementsEqual(text) }
        }
    }
}

extension JSONReader {
    /// Reads an object, calling `member` with each key in order; `member` must consume the value (read or skip it).
    /// `null` reads as an empty object.
    @inlinable public mutating func readMembers(
        _ member: (inout JSONReader, JSONKey) throws(JSONSyntaxError) -> Void
    ) throws(JSONSyntaxError) {
        if try readNull() { return }
        try expect(UInt8(ascii: "{"), "an object")
        try readElements(closer: UInt8(ascii: "}")) { (reader) throws(JSONSyntaxError) in
            let key = try JSONKey(utf8: reader.readStringBytes())
            try reader.expect(UInt8(ascii: ":"), "':' after an object key")
            try member(&reader, key)
        }
    }
}
