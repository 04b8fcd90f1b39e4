/// A strict recogniser of JSON text (RFC 8259, with I-JSON's rules from RFC 7493 §2.1: UTF-8 only, no unpaired
/// surrogate escapes), written apart from the `JSON` module so that the fuzz targets can check it against an
/// independent reading. Nesting deeper than `maxDepth` is refused, as a limit, not as bad syntax.
public struct StrictJSON {
    private let bytes: [UInt8]
    private let maxDepth: Int
    private var index = 0

    /// Whether `bytes` is one JSON value with optional whitespace around it.
    public static func accepts(_ bytes: [UInt8], maxDepth: Int) -> Bool {
        var checker = StrictJSON(bytes: bytes, maxDepth: maxDepth)
        guard checker.value(depth: 0) else { return false }
        checker.whitespace()
        return checker.index == bytes.count
    }

    private init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func whitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        whitespace()
        guard peek == byte else { return false }
        index += 1
        return true
    }

    private mutating func value(depth: Int) -> Bool {
        whitespace()
        switch peek {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { return false }
            index += 1
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                whitespace()
                guard string(), take(UInt8(ascii: ":")), value(depth: depth + 1) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            guard depth < maxDepth else { return false }
            index += 1
            if take(UInt8(ascii: "]")) { return true }
            repeat {
                guard value(depth: depth + 1) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]"))
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "t"): return word("true")
        case UInt8(ascii: "f"): return word("false")
        case UInt8(ascii: "n"): return word("null")
        default: return number()
        }
    }

    private mutating func word(_ text: String) -> Bool {
        let expected = Array(text.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else { return false }
        index += expected.count
        return true
    }

    private mutating func digits() -> Int {
        let start = index
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    private mutating func number() -> Bool {
        if peek == UInt8(ascii: "-") { index += 1 }
        if peek == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }

    /// A string starting at the current byte, its escapes and its UTF-8 checked.
    private mutating func string() -> Bool {
        guard peek == UInt8(ascii: "\"") else { return false }
        index += 1
        while let byte = peek {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "\\"):
                index += 1
                guard escape() else { return false }
            case 0..<0x20:
                return false
            case 0..<0x80:
                index += 1
            default:
                guard utf8Sequence() else { return false }
            }
        }
        return false
    }

    private mutating func escape() -> Bool {
        guard let letter = peek else { return false }
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return true
        case UInt8(ascii: "u"):
            guard let unit = hex4() else { return false }
            if (0xDC00..<0xE000).contains(unit) { return false }
            guard (0xD800..<0xDC00).contains(unit) else { return true }
            guard word("\\u"), let low = hex4() else { return false }
            return (0xDC00..<0xE000).contains(low)
        default:
            return false
        }
    }

    private mutating func hex4() -> Int? {
        guard bytes.count - index >= 4 else { return nil }
        var unit = 0
        for _ in 0..<4 {
            guard let digit = Int(String(UnicodeScalar(bytes[index])), radix: 16) else { return nil }
            unit = unit * 16 + digit
            index += 1
        }
        return unit
    }

    /// One multi-byte UTF-8 sequence (RFC 3629 table 3-7: no overlong forms, no surrogates, at most U+10FFFF).
    private mutating func utf8Sequence() -> Bool {
        let lead = bytes[index]
        let (count, low, high): (Int, UInt8, UInt8) = switch lead {
        case 0xC2...0xDF: (1, 0x80, 0xBF)
        case 0xE0: (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (2, 0x80, 0xBF)
        case 0xED: (2, 0x80, 0x9F)
        case 0xF0: (3, 0x90, 0xBF)
        case 0xF1...0xF3: (3, 0x80, 0xBF)
        case 0xF4: (3, 0x80, 0x8F)
        default: (0, 0, 0)
        }
        guard count > 0, bytes.count - index > count else { return false }
        guard (low...high).contains(bytes[index + 1]) else { return false }
        for offset in 2..<count + 1 where !(0x80...0xBF).contains(bytes[index + offset]) { return false }
        index += count + 1
        return true
    }
}
