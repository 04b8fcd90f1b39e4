/// Quotes a user-supplied value for a message: double quotes, with `"`, `\` and control characters escaped,
/// and values longer than 64 characters shortened with `…`, so that messages stay readable and printable.
func quoted(_ value: String) -> String {
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
            if isControl(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Makes a warning safe for `response.warnings`: control characters become spaces, and the text is cut to at most
/// 120 characters (ending in `…` when cut).
func boundedWarning(_ text: String) -> String {
    var result = text
    if text.unicodeScalars.contains(where: isControl) {
        result = String(String.UnicodeScalarView(text.unicodeScalars.lazy.map { isControl($0) ? " " : $0 }))
    }
    if result.utf8.count > 120, result.count > 120 {
        result = String(result.prefix(119)) + "…"
    }
    return result
}

/// Whether a scalar is in the Unicode general category Cc (control): U+0000–U+001F and U+007F–U+009F.
private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}
