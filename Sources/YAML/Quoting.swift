/// Quotes a user-supplied value for a message: double quotes, with `"`, `\` and control characters escaped,
/// and values longer than 64 characters shortened with `…`, so that messages stay readable and printable.
public func quoted(_ value: String) -> String {
    var out = "\""
    for (count, scalar) in value.unicodeScalars.enumerated() {
        if count == 64 {
            out += "…"
            break
        }
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.isControlCharacter {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

extension Unicode.Scalar {
    /// Whether the scalar is in the Unicode general category Cc (control): U+0000–U+001F and U+007F–U+009F.
    public var isControlCharacter: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value)
    }
}
