internal import CLibYAML

/// A position in a YAML text, 1-based, for messages.
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    /// Line, starting at 1.
    public var line: Int
    /// Column, starting at 1.
    public var column: Int

    /// Creates a position from a 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ mark: yaml_mark_t) {
        line = Int(mark.line) + 1
        column = Int(mark.column) + 1
    }

    /// `line <line>, column <column>`.
    public var description: String { "line \(line), column \(column)" }
}

/// Why a YAML text was refused or could not be used: a syntax error, a refused construct, or a value of the wrong shape.
public struct YAMLError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, for a person: `duplicate key "name"`.
    public var message: String
    /// Where, when known.
    public var mark: YAMLMark?

    /// Creates an error for `message` at `mark`.
    public init(message: String, mark: YAMLMark?) {
        self.message = message
        self.mark = mark
    }

    /// `<message> at line <line>, column <column>`, or the message alone when the place is not known.
    public var description: String { mark.map { "\(message) at \($0)" } ?? message }
}
