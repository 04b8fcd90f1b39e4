internal import YAML

/// Quotes a user-supplied value for a message: the one rule YAML messages use too (see `YAML.quoted`).
func quoted(_ value: String) -> String {
    YAML.quoted(value)
}

/// Makes a warning safe for `response.warnings`: control characters become spaces, and the text is cut to at most
/// 120 characters (ending in `…` when cut).
func boundedWarning(_ text: String) -> String {
    var result = text
    if text.unicodeScalars.contains(where: \.isControlCharacter) {
        result = String(String.UnicodeScalarView(text.unicodeScalars.lazy.map { $0.isControlCharacter ? " " : $0 }))
    }
    if result.utf8.count > 120, result.count > 120 {
        result = String(result.prefix(119)) + "…"
    }
    return result
}
