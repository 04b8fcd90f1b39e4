extension JSONReader {
    /// Reads a string value, decoding escapes (`\u` surrogate pairs included) and checking that it is UTF-8.
    public mutating func readString() throws(JSONSyntaxError) -> String {
        let text = try readStringBytes()
        return text.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads a string value as UTF-8 bytes, decoding escapes and checking that it is UTF-8, without making a `String`:
    /// a slice of the text itself when the string has no escapes, else a decoded copy.
    public mutating func readStringBytes() throws(JSONSyntaxError) -> ArraySlice<UInt8> {
        try expect(UInt8(ascii: "\""), "a string")
        let start = position
        let run = plainRun(from: start)
        position = run.end
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            let text = bytes[start..<position]
            if !run.isASCII { try checkUTF8(text) }
            position += 1
            return text
        }
        var decoded = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                try checkUTF8(decoded[...])
                position += 1
                return decoded[...]
            case UInt8(ascii: "\\"):
                position += 1
                try readEscape(into: &decoded)
            case 0..<0x20:
                throw failure("control character in a string")
            default:
                let end = plainEnd(from: position)
                decoded.append(contentsOf: bytes[position..<end])
                position = end
            }
        }
        throw failure("the body ends inside a string")
    }

    /// Skips a string value without decoding it, checking its escapes and that it holds no raw control characters.
    public mutating func skipString() throws(JSONSyntaxError) {
        try expect(UInt8(ascii: "\""), "a string")
        try skipStringContents()
    }

    /// Skips the rest of a string whose opening quote was just read, up to and including its closing quote, with the
    /// same checks as reading it: escapes (surrogates paired), no raw control characters, UTF-8.
    mutating func skipStringContents() throws(JSONSyntaxError) {
        let start = position
        var isASCII = true
        while position < bytes.count {
            let run = plainRun(from: position)
            isASCII = isASCII && run.isASCII
            position = run.end
            guard position < bytes.count else { break }
            switch bytes[position] {
            case UInt8(ascii: "\""):
                if !isASCII { try checkUTF8(bytes[start..<position]) }
                position += 1
                return
            case UInt8(ascii: "\\"):
                position += 1
                guard let escape = peek else { break }
                position += 1
                if escape == UInt8(ascii: "u") {
                    _ = try unicodeEscape()
                } else if Self.unescaped(escape) == nil {
                    position -= 1
                    throw failure("invalid escape in a string")
                }
            case 0..<0x20:
                throw failure("control character in a string")
            default:
                position += 1
            }
        }
        throw failure("the body ends inside a string")
    }

    /// Decodes the escape after a `\` and appends its UTF-8 bytes to `decoded`.
    private mutating func readEscape(into decoded: inout [UInt8]) throws(JSONSyntaxError) {
        guard let escape = peek else { throw failure("the body ends inside a string") }
        if let byte = Self.unescaped(escape) {
            position += 1
            decoded.append(byte)
            return
        }
        guard escape == UInt8(ascii: "u") else { throw failure("invalid escape in a string") }
        position += 1
        UTF8.encode(try unicodeEscape()) { decoded.append($0) }
    }

    /// Reads the hex digits of a `\u` escape whose `\u` was just read, and of the low surrogate's escape after a high one.
    private mutating func unicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard peek == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                throw failure("unpaired surrogate in a \\u escape")
            }
            position += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in a \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let value = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
        return value
    }

    /// The byte that a one-letter escape (`\n`, `\"`, …) stands for; nil for `u` and for letters that are no escape.
    private static func unescaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// Reads the four hex digits of a `\u` escape.
    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("invalid \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[position..<position + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        position += 4
        return value
    }

    /// The offset of the first byte at or after `start` that ends a run of plain string bytes: a `"`, a `\\`, a
    /// control character, or the end of the text.
    private func plainEnd(from start: Int) -> Int {
        plainRun(from: start).end
    }

    /// Where the run of plain string bytes from `start` ends (see ``plainEnd(from:)``), and whether it is all ASCII.
    /// Looks at eight bytes at a time.
    private func plainRun(from start: Int) -> (end: Int, isASCII: Bool) {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        return bytes.withUnsafeBytes { buffer in
            var index = start
            var seen: UInt64 = 0
            while index + 8 <= buffer.count {
                let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let stops = Self.stopBytes(word)
                if stops != 0 {
                    let plainBytes = (stops & (0 &- stops)) >> 7 &- 1
                    seen |= word & plainBytes
                    return (index + stops.trailingZeroBitCount / 8, seen & highBits == 0)
                }
                seen |= word
                index += 8
            }
            while index < buffer.count {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                seen |= UInt64(byte)
                index += 1
            }
            return (index, seen & highBits == 0)
        }
    }

    /// The high bit of each byte of `word` (the first byte lowest) that ends a plain run: `"`, `\\` or below 0x20.
    /// Bytes above the first flagged one may be flagged falsely (a borrow carries upwards), so only the lowest
    /// flag is exact; the bytes below it are never flagged.
    private static func stopBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let zeroInQuotes = (quotes &- ones) & ~quotes
        let zeroInBackslashes = (backslashes &- ones) & ~backslashes
        let belowSpace = (word &- ones &* 0x20) & ~word
        return (zeroInQuotes | zeroInBackslashes | belowSpace) & (ones &* 0x80)
    }

    /// Fails unless the bytes are UTF-8; ASCII (the common case) is recognised eight bytes at a time, without decoding.
    private func checkUTF8(_ slice: ArraySlice<UInt8>) throws(JSONSyntaxError) {
        let valid = slice.withUnsafeBytes { buffer in
            var index = 0
            var bits: UInt64 = 0
            while index + 8 <= buffer.count {
                bits |= buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                index += 8
            }
            while index < buffer.count {
                bits |= UInt64(buffer[index])
                index += 1
            }
            return bits & 0x8080_8080_8080_8080 == 0
                || String(validating: buffer.assumingMemoryBound(to: UInt8.self), as: UTF8.self) != nil
        }
        guard valid else { throw failure("a string is not valid UTF-8") }
    }
}
