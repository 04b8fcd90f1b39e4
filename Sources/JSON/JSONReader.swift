/// A forward-only JSON reader over bytes: the one scanner behind both the admission field reader (which decodes only
/// the members it asks for and skips the rest) and the tree parser of generic Kubernetes objects.
///
/// Every method starts by skipping whitespace. Objects and arrays may nest at most ``maxDepth`` levels, counted from the
/// start of the text; ``skipValue()`` skips without recursion, so deep input cannot exhaust the stack.
public struct JSONReader {
    /// The deepest nesting of objects and arrays that is accepted.
    public static let maxDepth = 512

    /// What the next value is, judged by its first byte.
    public enum ValueKind: Sendable, Equatable {
        /// `{`
        case object
        /// `[`
        case array
        /// `"`
        case string
        /// `-` or a digit.
        case number
        /// `true` or `false`.
        case bool
        /// `null`
        case null
    }

    let bytes: [UInt8]
    /// The offset of the next byte to read.
    public internal(set) var offset = 0
    /// The objects and arrays the reader is inside now.
    var depth = 0

    /// Creates a reader at the start of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Fails unless only whitespace is left.
    public mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if offset < bytes.count { throw failure("unexpected data after the JSON value") }
    }

    /// The kind of the next value, without consuming it.
    /// - Throws: at the end of the text, or at a byte that starts no JSON value.
    public mutating func nextKind() throws(JSONSyntaxError) -> ValueKind {
        skipWhitespace()
        guard let byte = peek else { throw failure("the body ends where a value should start") }
        switch byte {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw failure("unexpected \(Self.describe(byte))")
        }
    }

    /// Whether the next value is `null`; consumes it if so.
    public mutating func readNull() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard peek == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        switch peek {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default:
            throw failure("expected true or false")
        }
    }

    /// Reads an object, calling `member` with each key in order; `member` must consume the value (read or skip it).
    /// `null` reads as an empty object.
    public mutating func readObject(
        _ member: (inout JSONReader, String) throws(JSONSyntaxError) -> Void
    ) throws(JSONSyntaxError) {
        if try readNull() { return }
        try expect(UInt8(ascii: "{"), "an object")
        try readElements(closer: UInt8(ascii: "}")) { (reader) throws(JSONSyntaxError) in
            let key = try reader.readKey()
            try member(&reader, key)
        }
    }

    /// Reads an array, calling `item` for each element; `item` must consume the element (read or skip it).
    public mutating func readArray(_ item: (inout JSONReader) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "["), "an array")
        try readElements(closer: UInt8(ascii: "]"), item)
    }

    /// An error at the current offset.
    public func failure(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset, reason: reason)
    }

    var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard peek == byte else { throw failure("expected \(what)") }
        offset += 1
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let matches = offset + count <= bytes.count && word.withUTF8Buffer { $0.elementsEqual(bytes[offset..<offset + count]) }
        guard matches else { throw failure("expected \(word)") }
        offset += count
    }

    /// Enters one more level of nesting.
    mutating func enter() throws(JSONSyntaxError) {
        guard depth < Self.maxDepth else { throw failure("nested more than \(Self.maxDepth) levels deep") }
        depth += 1
    }

    /// The elements of an object or array whose opening bracket was just read, up to and including `closer`.
    private mutating func readElements(
        closer: UInt8, _ element: (inout JSONReader) throws(JSONSyntaxError) -> Void
    ) throws(JSONSyntaxError) {
        try enter()
        defer { depth -= 1 }
        if closeIfEmpty(closer) { return }
        repeat {
            try element(&self)
        } while try !endElement(closer)
    }

    /// After `[` or `{`: consumes `closer` if the container is empty.
    mutating func closeIfEmpty(_ closer: UInt8) -> Bool {
        skipWhitespace()
        guard peek == closer else { return false }
        offset += 1
        return true
    }

    /// After an element: consumes `,` (false: another element follows) or `closer` (true: the container ends).
    mutating func endElement(_ closer: UInt8) throws(JSONSyntaxError) -> Bool {
        let container = closer == UInt8(ascii: "}") ? "an object" : "an array"
        skipWhitespace()
        guard let next = peek else { throw failure("the body ends inside \(container)") }
        if next == UInt8(ascii: ",") || next == closer { offset += 1 }
        if next == UInt8(ascii: ",") { return false }
        if next == closer { return true }
        throw failure("expected ',' or '\(Character(Unicode.Scalar(closer)))' in \(container)")
    }

    /// Reads an object key and the `:` after it.
    private mutating func readKey() throws(JSONSyntaxError) -> String {
        let key = try readString()
        try expect(UInt8(ascii: ":"), "':' after an object key")
        return key
    }

    /// A byte for a message: the character when it is printable ASCII, else its hex value.
    static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "character '\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
