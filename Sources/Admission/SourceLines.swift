internal import YAML

/// The lines of a manifest text, to turn a place inside an annotation's value into a place in the file.
struct SourceLines {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }

    /// Where `place` (inside the value of a scalar that starts at `value`) is in the file.
    ///
    /// A block scalar (`|` or `>`) starts on its indicator's line, and its text on the lines below, indented: line N of
    /// the text is N lines below the indicator, its columns shifted by the indentation. A flow scalar (plain or quoted)
    /// holds line 1 of its text on its own line, after its opening quote; its other lines, folded by YAML, and the
    /// value as a whole are placed at the scalar's start.
    func mark(of place: ValuePlace?, inValueAt value: YAMLMark) -> YAMLMark {
        guard let place, let line = self.line(value.line) else { return value }
        let start = line.dropFirst(value.column - 1)
        switch start.first {
        case "|", ">":
            let indent = lines.dropFirst(value.line).first { !$0.allSatisfy { $0 == " " } }?.prefix { $0 == " " }.count ?? 0
            return YAMLMark(line: value.line + place.line, column: indent + place.column)
        case "\"", "'":
            return place.line == 1 ? YAMLMark(line: value.line, column: value.column + place.column) : value
        default:
            return place.line == 1 ? YAMLMark(line: value.line, column: value.column + place.column - 1) : value
        }
    }

    /// The text of line `number` (from 1), or nil past the end.
    private func line(_ number: Int) -> Substring? {
        lines.indices.contains(number - 1) ? lines[number - 1] : nil
    }
}
