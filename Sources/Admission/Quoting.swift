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
            if scalar.properties.generalCategory == .control {
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
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
    }
    var result = String(scalars)
    if result.count > 120 {
        result = String(result.prefix(119)) + "…"
    }
    return result
}
