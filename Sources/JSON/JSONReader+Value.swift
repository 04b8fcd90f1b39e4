/// A JSON number: an integer when it has no fraction or exponent and fits in `Int`, else a `Double`.
public enum JSONNumber: Sendable, Equatable {
    /// A number without fraction or exponent that fits in `Int`.
    case int(Int)
    /// Any other number.
    case double(Double)
}

extension JSONReader {
    /// Reads a number, checking the JSON grammar (`-`, no leading zeros, digits after `.` and after an exponent).
    public mutating func readNumber() throws(JSONSyntaxError) -> JSONNumber {
        skipWhitespace()
        let start = position
        let integral = try skipNumber()
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if integral, let value = Int(text) { return .int(value) }
        guard let value = Double(text) else { throw JSONSyntaxError(offset: start, reason: "malformed number") }
        return .double(value)
    }

    /// Skips one value of any type, checking its syntax fully, without recursion.
    public mutating func skipValue() throws(JSONSyntaxError) {
        var closers: [UInt8] = []
        defer { depth -= closers.count }
        while true {
            switch try nextKind() {
            case .object, .array:
                let closer = bytes[position] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                position += 1
                try enter()
                if closeIfEmpty(closer) {
                    depth -= 1
                } else {
                    closers.append(closer)
                    if closer == UInt8(ascii: "}") { try skipKey() }
                    continue
                }
            case .string: try skipString()
            case .number: _ = try skipNumber()
            case .bool: _ = try readBool()
            case .null: _ = try readNull()
            }
            while let closer = closers.last {
                if try !endElement(closer) {
                    if closer == UInt8(ascii: "}") { try skipKey() }
                    break
                }
                closers.removeLast()
                depth -= 1
            }
            if closers.isEmpty { return }
        }
    }

    /// Moves past an object key and the `:` after it.
    private mutating func skipKey() throws(JSONSyntaxError) {
        try skipString()
        try expect(UInt8(ascii: ":"), "':' after an object key")
    }

    /// Moves past a number, checking its grammar; returns whether it has neither fraction nor exponent.
    private mutating func skipNumber() throws(JSONSyntaxError) -> Bool {
        if peek == UInt8(ascii: "-") { position += 1 }
        guard let first = peek, Self.isDigit(first) else { throw failure("malformed number") }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var integral = true
        if peek == UInt8(ascii: ".") {
            position += 1
            try requireDigits()
            integral = false
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            try requireDigits()
            integral = false
        }
        return integral
    }

    private mutating func requireDigits() throws(JSONSyntaxError) {
        guard let byte = peek, Self.isDigit(byte) else { throw failure("malformed number") }
        skipDigits()
    }

    private mutating func skipDigits() {
        while let byte = peek, Self.isDigit(byte) { position += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
