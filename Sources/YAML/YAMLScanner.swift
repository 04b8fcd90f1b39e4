internal import CLibYAML

/// The deepest nesting of collections the scanner accepts. libyaml's scanner costs time quadratic in the nesting
/// depth (8 KiB of `[` take a third of a second), so deeper input is refused as soon as it opens one level too many.
public let maxYAMLNesting = 64

/// Scans a YAML text of one document into node events with libyaml, refusing anchors, aliases, explicit tags,
/// a second document, complex keys, duplicate keys and nesting deeper than ``maxYAMLNesting`` as soon as they
/// appear, so that nothing is ever expanded.
/// - Returns: the node events of the document, or an empty list when the text holds no document.
/// - Throws: ``YAMLError`` for a syntax error or a refused construct, with its place.
public func scanYAMLEvents(_ text: String) throws(YAMLError) -> [YAMLEvent] {
    var events: [YAMLEvent] = []
    try scanYAMLDocuments(text, allowingSeveralDocuments: false) { events = $0 }
    return events
}

/// Scans a YAML text into node events with libyaml, one document at a time, with the refusals of
/// ``scanYAMLEvents(_:)``; a stream of several documents is refused unless `allowingSeveralDocuments`.
/// - Parameters:
///   - text: the YAML text.
///   - allowingSeveralDocuments: whether `---` may start a second document.
///   - document: called with the node events of each complete document, in order; the documents before an
///     error have been handed over when the error is thrown.
/// - Throws: ``YAMLError`` for a syntax error or a refused construct, with its place.
public func scanYAMLDocuments(
    _ text: String, allowingSeveralDocuments: Bool, _ document: ([YAMLEvent]) -> Void
) throws(YAMLError) {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
    defer {
        parser.deallocate()
        event.deallocate()
    }
    guard yaml_parser_initialize(parser) == 1 else {
        throw YAMLError(message: "cannot start the YAML parser", mark: nil)
    }
    defer { yaml_parser_delete(parser) }
    var bytes = Array(text.utf8)
    bytes.append(0)
    let failure: YAMLError? = bytes.withUnsafeBufferPointer { buffer in
        yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count - 1)
        var state = ScanState(allowingSeveralDocuments: allowingSeveralDocuments)
        while true {
            guard yaml_parser_parse(parser, event) == 1 else { return syntaxError(parser.pointee) }
            defer { yaml_event_delete(event) }
            switch event.pointee.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_DOCUMENT_END_EVENT:
                document(state.events)
                state.events = []
            default:
                if let refusal = state.take(event.pointee) { return refusal }
            }
        }
    }
    if let failure { throw failure }
}

/// The events of the current document, and the keys seen in each open mapping.
private struct ScanState {
    let allowingSeveralDocuments: Bool
    var events: [YAMLEvent] = []
    var documents = 0
    /// One entry per open collection: `nil` for a sequence, the keys so far (and whether a key comes next) for a mapping.
    var open: [MappingKeys?] = []

    init(allowingSeveralDocuments: Bool) {
        self.allowingSeveralDocuments = allowingSeveralDocuments
    }

    struct MappingKeys {
        var keys: Set<String> = []
        var expectingKey = true
    }

    mutating func take(_ event: yaml_event_t) -> YAMLError? {
        let mark = YAMLMark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1, !allowingSeveralDocuments {
                return YAMLError(message: "several YAML documents are not allowed", mark: mark)
            }
        case YAML_ALIAS_EVENT:
            return YAMLError(message: "YAML aliases are not allowed; write the value out", mark: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            if let refusal = refuseDecorations(anchor: data.anchor, tag: data.tag, mark: mark) { return refusal }
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: Int(data.length)), as: UTF8.self)
            if let refusal = enterNode(key: value, mark: mark) { return refusal }
            events.append(YAMLEvent(kind: .scalar(value, plain: data.style == YAML_PLAIN_SCALAR_STYLE), mark: mark))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            if let refusal = refuseDecorations(anchor: anchor, tag: tag, mark: mark) { return refusal }
            if let refusal = enterNode(key: nil, mark: mark) { return refusal }
            if open.count == maxYAMLNesting {
                return YAMLError(message: "YAML nested deeper than \(maxYAMLNesting) levels is not allowed", mark: mark)
            }
            open.append(isMapping ? MappingKeys() : nil)
            events.append(YAMLEvent(kind: isMapping ? .mappingStart : .sequenceStart, mark: mark))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            open.removeLast()
            events.append(YAMLEvent(kind: event.type == YAML_MAPPING_END_EVENT ? .mappingEnd : .sequenceEnd, mark: mark))
        default:
            break
        }
        return nil
    }

    /// Records a node inside the innermost open mapping: a key must be a scalar that has not been seen there before.
    /// The mapping's entry is changed in place, so its key set is never copied.
    mutating func enterNode(key: String?, mark: YAMLMark) -> YAMLError? {
        guard let last = open.indices.last, let expectingKey = open[last]?.expectingKey else { return nil }
        open[last]?.expectingKey = !expectingKey
        guard expectingKey else { return nil }
        guard let key else { return YAMLError(message: "mapping keys must be plain strings", mark: mark) }
        if open[last]?.keys.insert(key).inserted == false {
            return YAMLError(message: "duplicate key \(quoted(key))", mark: mark)
        }
        return nil
    }

    func refuseDecorations(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, mark: YAMLMark) -> YAMLError? {
        if anchor != nil { return YAMLError(message: "YAML anchors are not allowed; write each value out", mark: mark) }
        if tag != nil { return YAMLError(message: "YAML tags are not allowed; write plain values", mark: mark) }
        return nil
    }
}

private func syntaxError(_ parser: yaml_parser_t) -> YAMLError {
    let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
    let context = parser.context.map { " (\(String(cString: $0)))" } ?? ""
    return YAMLError(message: "invalid YAML: \(problem)\(context)", mark: YAMLMark(parser.problem_mark))
}
