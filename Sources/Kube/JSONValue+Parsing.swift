public import JSON

/// Text that is not valid JSON: the byte offset where reading stopped, and why.
public typealias JSONParseError = JSONSyntaxError

extension JSONValue {
    /// Parses JSON text. Object members keep their order; nesting is limited to ``JSONReader/maxDepth`` levels.
    ///
    /// - Throws: ``JSONParseError`` with the byte offset of the problem.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        var reader = JSONReader(Array(bytes))
        self = try Self.read(&reader)
        try reader.expectEnd()
    }

    /// Reads the next value, and everything inside it, from `reader`.
    private static func read(_ reader: inout JSONReader) throws(JSONSyntaxError) -> JSONValue {
        switch try reader.nextKind() {
        case .object:
            var members: [(String, JSONValue)] = []
            try reader.readObject { (reader, key) throws(JSONSyntaxError) in members.append((key, try read(&reader))) }
            return .object(members)
        case .array:
            var items: [JSONValue] = []
            try reader.readArray { (reader) throws(JSONSyntaxError) in items.append(try read(&reader)) }
            return .array(items)
        case .string:
            return .string(try reader.readString())
        case .number:
            switch try reader.readNumber() {
            case .int(let number): return .int(number)
            case .double(let number): return .double(number)
            }
        case .bool:
            return .bool(try reader.readBool())
        case .null:
            _ = try reader.readNull()
            return .null
        }
    }
}
