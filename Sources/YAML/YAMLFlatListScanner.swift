/// Scans the common forms of a list of flat mappings of scalars (what a trigger annotation holds) without libyaml:
/// a flow sequence of flow mappings, as JSON writes it or as YAML does with plain scalars
/// (`[{apiVersion: apps/v1, kind: Deployment, name: web, action: restart}]`), and a block sequence at the first
/// column whose items are block mappings indented by two spaces (`- apiVersion: apps/v1` then `  kind: Deployment`).
///
/// It declines anything it does not recognise for certain, leaving it to ``scanYAMLEvents(_:)``: bytes other than
/// printable ASCII and line feeds, comments, anchors, aliases, tags, escapes, `''` in single quotes, empty or
/// multi-line scalars, plain scalars with characters other than letters, digits and `.`, `/`, `_`, `-`, nested
/// collections, trailing commas, duplicate keys, keys over 128 bytes, other indentation, blank lines between the lines
/// of a block sequence and spaces after its last line.
/// Scalars are not resolved: like libyaml's events, `yes`, `null` or `1e3` come back as plain scalars.
/// - Returns: exactly the events ``scanYAMLEvents(_:)`` gives for `text`, marks included, or `nil` when declined.
public func scanFlatListEvents(_ text: String) -> [YAMLEvent]? {
    var text = text
    return text.withUTF8 { bytes in
        var scanner = FlatListScanner(bytes)
        return scanner.scan() ? scanner.events : nil
    }
}

/// The state of one ``scanFlatListEvents(_:)``: the text's bytes (valid only during that call), where the scan is,
/// and the events so far.
private struct FlatListScanner {
    /// The longest key accepted; libyaml allows a simple key 1,024 characters, and no trigger field comes near this.
    static let maxKeyBytes = 128

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var events: [YAMLEvent] = []
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// The keys of the mapping being read, to decline a duplicate, which ``scanYAMLEvents(_:)`` refuses.
    private var keys: [String] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        events.reserveCapacity(64)
        keys.reserveCapacity(8)
    }

    /// Scans the whole text; false when it is declined.
    mutating func scan() -> Bool {
        guard bytes.allSatisfy({ (0x20..<0x7F).contains($0) || $0 == newline }) else { return false }
        skipBlanks(acrossLines: true)
        switch byte {
        case UInt8(ascii: "["):
            guard flowSequence() else { return false }
            skipBlanks(acrossLines: true)
            return index == bytes.count
        case UInt8(ascii: "-") where index == lineStart:
            return blockSequence()
        default:
            return false
        }
    }

    // MARK: Flow: `[{key: value, "key": "value"}, ...]`

    private mutating func flowSequence() -> Bool {
        takeIndicator(.sequenceStart)
        skipBlanks(acrossLines: true)
        guard byte != UInt8(ascii: "]") else {
            takeIndicator(.sequenceEnd)
            return true
        }
        while true {
            guard byte == UInt8(ascii: "{"), flowMapping() else { return false }
            skipBlanks(acrossLines: true)
            switch byte {
            case UInt8(ascii: ","):
                index += 1
                skipBlanks(acrossLines: true)
            case UInt8(ascii: "]"):
                takeIndicator(.sequenceEnd)
                return true
            default:
                return false
            }
        }
    }

    private mutating func flowMapping() -> Bool {
        takeIndicator(.mappingStart)
        keys.removeAll(keepingCapacity: true)
        skipBlanks(acrossLines: true)
        guard byte != UInt8(ascii: "}") else {
            takeIndicator(.mappingEnd)
            return true
        }
        while true {
            guard key(inFlow: true), let plain = value() else { return false }
            // A plain scalar may end at the line's end only in block context: in a flow one it would go on.
            skipBlanks(acrossLines: !plain)
            switch byte {
            case UInt8(ascii: ","):
                index += 1
                skipBlanks(acrossLines: true)
            case UInt8(ascii: "}"):
                takeIndicator(.mappingEnd)
                return true
            default:
                return false
            }
        }
    }

    // MARK: Block: `- key: value` then `  key: value` lines

    private mutating func blockSequence() -> Bool {
        take(.sequenceStart)
        while byte == UInt8(ascii: "-"), index == lineStart {
            guard byte(at: index + 1) == UInt8(ascii: " ") else { return false }
            index += 2
            guard startsScalar(byte) else { return false }
            take(.mappingStart)
            keys.removeAll(keepingCapacity: true)
            guard blockEntry() else { return false }
            while byte == UInt8(ascii: " "), byte(at: index + 1) == UInt8(ascii: " "), startsScalar(byte(at: index + 2)) {
                index += 2
                guard blockEntry() else { return false }
            }
            if bytes[index...].allSatisfy({ $0 == newline }) {
                skipBlanks(acrossLines: true)
                // At the end libyaml moves to the start of a new line, and closes every block there. (Spaces after
                // the last line feed would close the mapping where they end: declined.)
                if index != lineStart { line += 1 }
                lineStart = index
            }
            take(.mappingEnd)
        }
        guard index == bytes.count else { return false }
        take(.sequenceEnd)
        return true
    }

    /// One `key: value` line of a block mapping, its line feed included.
    private mutating func blockEntry() -> Bool {
        guard key(inFlow: false), value() != nil else { return false }
        guard index == bytes.count || byte == newline else { return false }
        if index < bytes.count { nextLine() }
        return true
    }

    // MARK: Scalars

    /// A key and its `:`, then the spaces before the value. The `:` wants a space after it, but for a quoted key in
    /// a flow mapping (`{"key":"value"}`).
    private mutating func key(inFlow: Bool) -> Bool {
        let start = index
        guard let key = scalar(), index - start <= FlatListScanner.maxKeyBytes, byte == UInt8(ascii: ":"),
              !keys.contains(key.text) else { return false }
        keys.append(key.text)
        index += 1
        if key.plain || !inFlow {
            guard byte == UInt8(ascii: " ") else { return false }
        }
        skipBlanks(acrossLines: false)
        return true
    }

    /// A value: a scalar on the key's line. Returns whether it is plain, or nil when there is none.
    private mutating func value() -> Bool? {
        guard startsScalar(byte) else { return nil }
        return scalar()?.plain
    }

    /// A plain, single- or double-quoted scalar on one line, without escapes, added as an event; nil when there is none.
    private mutating func scalar() -> (text: String, plain: Bool)? {
        let start = index
        let mark = self.mark
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let quote = bytes[index]
            index += 1
            while index < bytes.count, bytes[index] != quote {
                guard bytes[index] != newline, bytes[index] != UInt8(ascii: "\\") || quote != UInt8(ascii: "\"") else { return nil }
                index += 1
            }
            guard index < bytes.count, byte(at: index + 1) != quote else { return nil }
            index += 1
            let value = text(start + 1, index - 1)
            events.append(YAMLEvent(kind: .scalar(value, plain: false), mark: mark))
            return (value, false)
        default:
            guard isAlphanumeric(byte) else { return nil }
            while index < bytes.count, isPlainByte(bytes[index]) { index += 1 }
            let value = text(start, index)
            events.append(YAMLEvent(kind: .scalar(value, plain: true), mark: mark))
            return (value, true)
        }
    }

    private func startsScalar(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || isAlphanumeric(byte)
    }

    private func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: false
        }
    }

    private func isPlainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: isAlphanumeric(byte)
        }
    }

    // MARK: Places

    private let newline = UInt8(ascii: "\n")

    /// The byte at the scan's place, or 0 at the end.
    private var byte: UInt8 { byte(at: index) }

    private func byte(at position: Int) -> UInt8 {
        position < bytes.count ? bytes[position] : 0
    }

    private var mark: YAMLMark { YAMLMark(line: line, column: index - lineStart + 1) }

    /// Adds a collection's event at the scan's place.
    private mutating func take(_ kind: YAMLEvent.Kind) {
        events.append(YAMLEvent(kind: kind, mark: mark))
    }

    /// Adds a flow collection's event at its indicator (`[`, `]`, `{`, `}`), and moves past it.
    private mutating func takeIndicator(_ kind: YAMLEvent.Kind) {
        take(kind)
        index += 1
    }

    private mutating func nextLine() {
        index += 1
        line += 1
        lineStart = index
    }

    private mutating func skipBlanks(acrossLines: Bool) {
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: " ") {
                index += 1
            } else if acrossLines, bytes[index] == newline {
                nextLine()
            } else {
                return
            }
        }
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}
