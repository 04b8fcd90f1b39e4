/// What a YAML scalar resolves to, as Kubernetes' YAML reader (YAML 1.1 words) sees it.
public enum YAMLScalarType: String, Sendable {
    /// Text: every quoted or block scalar, and every plain scalar that is nothing else.
    case string
    /// `null`, `~` or nothing.
    case null
    /// `true`, `false` and the other YAML 1.1 words, as ``boolean(_:)`` reads them.
    case boolean
    /// An integer or a float, `.inf` and `.nan` included.
    case number

    /// Resolves a scalar; quoted and block scalars are always strings.
    public init(_ value: String, plain: Bool) {
        let first = value.utf8.first ?? 0
        // Every null and boolean word is at most 5 bytes long; longer plain scalars can only be numbers or strings.
        guard plain, value.utf8.count <= 5 || YAMLScalarType.mayStartNumber(first) else {
            self = .string
            return
        }
        switch value {
        case "", "~", "null", "Null", "NULL":
            self = .null
        default:
            if YAMLScalarType.boolean(value) != nil {
                self = .boolean
            } else {
                self = YAMLScalarType.mayStartNumber(first) && YAMLScalarType.looksNumeric(value) ? .number : .string
            }
        }
    }

    /// The value of a plain boolean word (`true`, `yes`, `on`, `y` and their capitalised forms, and their opposites),
    /// or `nil` for any other text.
    public static func boolean(_ value: String) -> Bool? {
        switch value {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": false
        default: nil
        }
    }

    /// Whether a byte can begin a number: a digit, a sign or a dot.
    private static func mayStartNumber(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."): true
        default: false
        }
    }

    /// Integers (decimal, `0x`, `0o`), floats, `.inf` and `.nan`, with an optional sign.
    private static func looksNumeric(_ value: String) -> Bool {
        var text = Substring(value)
        if text.first == "+" || text.first == "-" { text = text.dropFirst() }
        if [".inf", ".Inf", ".INF"].contains(text) { return true }
        if [".nan", ".NaN", ".NAN"].contains(value) { return true }
        if text.hasPrefix("0x") { return text.count > 2 && text.dropFirst(2).allSatisfy(\.isHexDigit) }
        if text.hasPrefix("0o") { return text.count > 2 && text.dropFirst(2).allSatisfy { ("0"..."7").contains($0) } }
        var digits = 0
        var seenDot = false
        var seenExponent = false
        var previous: Character = " "
        for character in text {
            switch character {
            case "0"..."9": digits += 1
            case "." where !seenDot && !seenExponent: seenDot = true
            case "e", "E":
                guard digits > 0, !seenExponent else { return false }
                seenExponent = true
            case "+", "-":
                guard previous == "e" || previous == "E" else { return false }
            case "_": break
            default: return false
            }
            previous = character
        }
        return digits > 0 && previous != "e" && previous != "E"
    }
}
