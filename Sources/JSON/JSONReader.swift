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

    /// The JSON text.
    @usableFromInline let bytes: [UInt8]
    /// The offset of the next byte to read.
    public var offset: Int { position }
    /// The offset of the next byte to read; only the reader moves it.
    @usableFromInline var position = 0
    /// The objects and arrays the reader is inside now.
    @usableFromInline var depth = 0

    /// Creates a reader at the start of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Fails unless only whitespace is left.
    public mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if position < bytes.count { throw failure("unexpected data after the JSON value") }
    }

    /// The kind of the next value, without consuming it.
    /// - Throws: at the end of the text, or at a byte that starts no JSON value.
    @inline(__always) public mutating func nextKind() throws(JSONSyntaxError) -> ValueKind {
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
    @inlinable public mutating func readNull() throws(JSONSyntaxError) -> Bool {
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
    /// `null` reads as an empty object. ``readMembers(_:)`` does the same without making the keys into `String`s.
    @inlinable public mutating func readObject(
        _ member: (inout JSONReader, String) throws(JSONSyntaxError) -> Void
    ) throws(JSONSyntaxError) {
        try readMembers { (reader, key) throws(JSONSyntaxError) in try member(&reader, key.string) }
    }

    /// Reads an array, calling `item` for each element; `item` must consume the element (read or skip it).
    public mutating func readArray(_ item: (inout JSONReader) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "["), "an array")
        try readElements(closer: UInt8(ascii: "]"), item)
    }

    /// An error at the current position.
    @inlinable public func failure(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, reason: reason)
    }

    @inlinable @inline(__always) var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    @inlinable @inline(__always) mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    @inlinable @inline(__always) mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard peek == byte else { throw expected(what) }
        position += 1
    }

    /// The error for a missing `what` at the current position (kept out of line: the hot paths only branch to it).
    @usableFromInline func expected(_ what: String) -> JSONSyntaxError {
        failure("expected \(what)")
    }

    @inlinable mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let matches = position + count <= bytes.count && word.withUTF8Buffer { $0.elementsEqual(bytes[position..<position + count]) }
        guard matches else { throw failure("expected \(word)") }
        position += count
    }

    /// Enters one more level of nesting.
    @inlinable @inline(__always) mutating func enter() throws(JSONSyntaxError) {
        guard depth < Self.maxDepth else { throw failure("nested more than \(Self.maxDepth) levels deep") }
        depth += 1
    }

    /// The elements of an object or array whose opening bracket was just read, up to and including `closer`.
    @inlinable mutating func readElements(
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
    @inlinable @inline(__always) mutating func closeIfEmpty(_ closer: UInt8) -> Bool {
        skipWhitespace()
        guard peek == closer else { return false }
        position += 1
        return true
    }

    /// After an element: consumes `,` (false: another element follows) or `closer` (true: the container ends).
    @inlinable @inline(__always) mutating func endElement(_ closer: UInt8) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        switch peek {
        case UInt8(ascii: ","):
            position += 1
            return false
        case closer:
            position += 1
            return true
        default:
            throw elementEndFailure(closer)
        }
    }

    /// The error where neither `,` nor `closer` follows an element (kept out of line).
    @usableFromInline func elementEndFailure(_ closer: UInt8) -> JSONSyntaxError {
        let container = closer == UInt8(ascii: "}") ? "an object" : "an array"
        guard peek != nil else { return failure("the body ends inside \(container)") }
        return failure("expected ',' or '\(Character(Unicode.Scalar(closer)))' in \(container)")
    }

    /// A byte for a message: the character when it is printable ASCII, else its hex value.
    static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "character '\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
