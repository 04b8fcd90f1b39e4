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
        var open = ContainerStack()
        defer { depth -= open.count }
        while true {
            switch try nextKind() {
            case .object, .array:
                let isObject = bytes[position] == UInt8(ascii: "{")
                let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                position += 1
                try enter()
                if closeIfEmpty(closer) {
                    depth -= 1
                } else {
                    open.push(isObject: isObject)
                    if isObject { try skipKey() }
                    continue
                }
            case .string:
                position += 1
                try skipStringContents()
            case .number: _ = try skipNumber()
            case .bool: _ = try readBool()
            case .null: _ = try readNull()
            }
            while open.count > 0 {
                let isObject = open.innermostIsObject
                if try !endElement(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    if isObject { try skipKey() }
                    break
                }
                open.pop()
                depth -= 1
            }
            if open.count == 0 { return }
        }
    }

    /// Moves past an object key and the `:` after it.
    @inline(__always) private mutating func skipKey() throws(JSONSyntaxError) {
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

/// The containers a skip is inside, innermost on top: a bit per level (set for an object). The innermost 64 levels
/// live in one word, so the common shallow skip allocates nothing; deeper levels move to an array in words of 64.
struct ContainerStack {
    /// How many containers are open.
    private(set) var count = 0
    private var top: UInt64 = 0
    private var below: [UInt64] = []

    /// Whether the innermost open container is an object (false: an array). Only valid when `count > 0`.
    var innermostIsObject: Bool { top & 1 == 1 }

    /// Opens a container.
    mutating func push(isObject: Bool) {
        if count > 0, count % 64 == 0 {
            below.append(top)
            top = 0
        }
        top = top << 1 | (isObject ? 1 : 0)
        count += 1
    }

    /// Closes the innermost container.
    mutating func pop() {
        top >>= 1
        count -= 1
        if count > 0, count % 64 == 0 { top = below.removeLast() }
    }
}
