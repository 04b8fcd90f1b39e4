/// Appends JSON text to a byte buffer: raw punctuation and literals, and string literals quoted by the one routine
/// that every JSON (and JSON log line) this program writes goes through.
public struct JSONWriter: Sendable {
    /// The text written so far, UTF-8.
    public var bytes: [UInt8] { storage }
    /// The text written so far; only the writer appends to it.
    @usableFromInline var storage: [UInt8] = []

    /// Creates an empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        storage.reserveCapacity(capacity)
    }

    /// Appends raw JSON text (punctuation, numbers and literals) as is.
    @inlinable public mutating func raw(_ text: String) {
        storage.append(contentsOf: text.utf8)
    }

    /// Appends `text` as a JSON string literal: `"` and `\` escaped, `\n`, `\r` and `\t` as such, the other control
    /// characters and DEL as `\u00XX`; all other UTF-8 is kept as is.
    public mutating func string(_ text: String) {
        storage.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                storage.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                escape(byte)
                runStart = index + 1
            }
            storage.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        storage.append(UInt8(ascii: "\""))
    }

    /// Appends the escape sequence for one byte that may not appear raw in a JSON string.
    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        default:
            raw("\\u00")
            storage.append(Self.hexDigits[Int(byte >> 4)])
            storage.append(Self.hexDigits[Int(byte & 0xF)])
        }
    }

    /// Appends `data` base64-encoded (RFC 4648, with padding), as a JSON string.
    public mutating func base64String(_ data: [UInt8]) {
        storage.append(UInt8(ascii: "\""))
        let start = storage.count
        storage.append(contentsOf: repeatElement(UInt8(ascii: "="), count: (data.count + 2) / 3 * 4))
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        alphabet.withUTF8Buffer { digits in
            storage.withUnsafeMutableBufferPointer { output in
                var out = start
                var index = 0
                while index < data.count {
                    let count = min(3, data.count - index)
                    var value = UInt32(data[index]) << 16
                    if count > 1 { value |= UInt32(data[index + 1]) << 8 }
                    if count > 2 { value |= UInt32(data[index + 2]) }
                    for position in 0...count {
                        output[out + position] = digits[Int(value >> (18 - 6 * UInt32(position)) & 0x3F)]
                    }
                    index += 3
                    out += 4
                }
            }
        }
        storage.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string literal, quoted as ``string(_:)`` does.
    public static func quoted(_ text: String) -> String {
        var writer = JSONWriter(capacity: text.utf8.count + 2)
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
