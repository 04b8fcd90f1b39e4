/// Why a JSON body could not be read.
struct JSONError: Error, Sendable {
    /// What was wrong, for the 400 message.
    var message: String
}

/// A forward-only JSON reader over bytes that decodes only the members asked for and skips the rest without
/// building anything. Nesting is skipped iteratively, so deep input cannot exhaust the stack.
struct JSONReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Fails unless only whitespace is left.
    mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if index < bytes.count { throw failure("unexpected data after the JSON value") }
    }

    /// Whether the next value is `null`; consumes it if so.
    mutating func readNull() throws(JSONError) -> Bool {
        skipWhitespace()
        guard peek == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Reads an object, calling `member` with each key; `member` must consume the value (read or skip it).
    /// `null` reads as an empty object.
    mutating func readObject(_ member: (inout JSONReader, String) throws(JSONError) -> Void) throws(JSONError) {
        if try readNull() { return }
        try expect(UInt8(ascii: "{"), "an object")
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let key = try readString()
            try expect(UInt8(ascii: ":"), "':' after an object key")
            try member(&self, key)
            skipWhitespace()
            guard let next = peek else { throw failure("the body ends inside an object") }
            index += 1
            if next == UInt8(ascii: "}") { return }
            if next != UInt8(ascii: ",") { throw failure("expected ',' or '}' in an object") }
        }
    }

    /// Reads a string value, decoding escapes.
    mutating func readString() throws(JSONError) -> String {
        try expect(UInt8(ascii: "\""), "a string")
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                return try utf8(bytes[start..<index])
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("control character in a string") }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try utf8(decoded[...])
            case UInt8(ascii: "\\"):
                try readEscape(into: &decoded)
            case 0..<0x20:
                throw failure("control character in a string")
            default:
                decoded.append(byte)
            }
        }
        throw failure("the body ends inside a string")
    }

    /// Skips a string value without decoding it; anything else is an error.
    mutating func skipString() throws(JSONError) {
        skipWhitespace()
        guard peek == UInt8(ascii: "\"") else { throw failure("expected a string") }
        try skipValue()
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws(JSONError) -> Bool {
        skipWhitespace()
        if peek == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// Skips one value of any type, checking its syntax as far as bracket matching, strings, numbers and literals.
    mutating func skipValue() throws(JSONError) {
        var open: [UInt8] = []
        repeat {
            skipWhitespace()
            guard let byte = peek else { throw failure("the body ends inside a value") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                index += 1
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard open.last == byte else { throw failure("unbalanced '\(Character(Unicode.Scalar(byte)))'") }
                open.removeLast()
                index += 1
            case UInt8(ascii: "\""):
                try skipStringBytes()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try skipNumber()
            default:
                throw failure("unexpected character '\(Character(Unicode.Scalar(byte)))'")
            }
            guard !open.isEmpty else { return }
            skipWhitespace()
            if peek == UInt8(ascii: ",") || peek == UInt8(ascii: ":") { index += 1 }
        } while true
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONError) {
        skipWhitespace()
        guard peek == byte else { throw failure("expected \(what)") }
        index += 1
    }

    private mutating func literal(_ word: StaticString) throws(JSONError) {
        let count = word.utf8CodeUnitCount
        let matches = index + count <= bytes.count && word.withUTF8Buffer { $0.elementsEqual(bytes[index..<index + count]) }
        guard matches else { throw failure("expected \(word)") }
        index += count
    }

    /// Moves past a string, checking only that it ends and holds no raw control characters.
    private mutating func skipStringBytes() throws(JSONError) {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 2
            case 0..<0x20:
                throw failure("control character in a string")
            default:
                index += 1
            }
        }
        throw failure("the body ends inside a string")
    }

    private mutating func skipNumber() throws(JSONError) {
        let start = index
        scan: while let byte = peek {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                break scan
            }
        }
        if index == start || bytes[index - 1] == UInt8(ascii: "-") { throw failure("malformed number") }
    }

    private mutating func readEscape(into decoded: inout [UInt8]) throws(JSONError) {
        guard let escape = peek else { throw failure("the body ends inside a string") }
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard peek == UInt8(ascii: "\\") else { throw failure("unpaired surrogate in a \\u escape") }
                index += 1
                guard peek == UInt8(ascii: "u") else { throw failure("unpaired surrogate in a \\u escape") }
                index += 1
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let value = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
            decoded.append(contentsOf: Array(String(Character(value)).utf8))
        default:
            throw failure("invalid escape in a string")
        }
    }

    private mutating func hex4() throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count,
              let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
            throw failure("invalid \\u escape")
        }
        index += 4
        return value
    }

    private func utf8(_ slice: ArraySlice<UInt8>) throws(JSONError) -> String {
        guard let text = String(validating: slice, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
        return text
    }

    private func failure(_ message: String) -> JSONError {
        JSONError(message: "\(message) at byte \(index)")
    }
}
