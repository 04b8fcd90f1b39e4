internal import CYaml

/// A position in a YAML text, 1-based, for messages.
struct YAMLMark: Sendable, Hashable {
    /// Line, starting at 1.
    var line: Int
    /// Column, starting at 1.
    var column: Int

    init(_ mark: yaml_mark_t) {
        line = Int(mark.line) + 1
        column = Int(mark.column) + 1
    }
}

/// A libyaml node event, reduced to the shapes the trigger parser builds from (refusals carry their own marks).
struct YAMLEvent: Sendable {
    /// What the event opens, closes or carries.
    enum Kind: Sendable, Equatable {
        case sequenceStart
        case sequenceEnd
        case mappingStart
        case mappingEnd
        /// A scalar; `plain` is false when it was quoted or a block scalar, which makes it a string whatever it reads.
        case scalar(String, plain: Bool)
    }

    var kind: Kind
}

/// Why a YAML text was refused before anything was built from it.
struct YAMLRefusal: Error, Sendable {
    var message: String
    var mark: YAMLMark?
}

/// Scans YAML text into node events with libyaml, refusing anchors, aliases, explicit tags, a second document,
/// complex keys and duplicate keys as soon as they appear, so that nothing is ever expanded.
/// - Returns: the node events of the (single) document, or an empty list when the text holds no document.
func scanYAMLEvents(_ text: String) throws(YAMLRefusal) -> [YAMLEvent] {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
    defer {
        parser.deallocate()
        event.deallocate()
    }
    guard yaml_parser_initialize(parser) == 1 else {
        throw YAMLRefusal(message: "cannot start the YAML parser", mark: nil)
    }
    defer { yaml_parser_delete(parser) }
    var bytes = Array(text.utf8)
    bytes.append(0)
    let result: Result<[YAMLEvent], YAMLRefusal> = bytes.withUnsafeBufferPointer { buffer in
        yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count - 1)
        var state = ScanState()
        while true {
            guard yaml_parser_parse(parser, event) == 1 else {
                return .failure(syntaxRefusal(parser.pointee))
            }
            defer { yaml_event_delete(event) }
            if event.pointee.type == YAML_STREAM_END_EVENT { return .success(state.events) }
            if let refusal = state.take(event.pointee) { return .failure(refusal) }
        }
    }
    return try result.get()
}

/// The events gathered so far, and the keys seen in each open mapping.
private struct ScanState {
    var events: [YAMLEvent] = []
    var documents = 0
    /// One entry per open collection: `nil` for a sequence, the keys so far (and whether a key comes next) for a mapping.
    var open: [MappingKeys?] = []

    struct MappingKeys {
        var keys: Set<String> = []
        var expectingKey = true
    }

    mutating func take(_ event: yaml_event_t) -> YAMLRefusal? {
        let mark = YAMLMark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 { return YAMLRefusal(message: "several YAML documents are not allowed", mark: mark) }
        case YAML_ALIAS_EVENT:
            return YAMLRefusal(message: "YAML aliases are not allowed; write the value out", mark: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            if let refusal = refuseDecorations(anchor: data.anchor, tag: data.tag, mark: mark) { return refusal }
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: Int(data.length)), as: UTF8.self)
            if let refusal = enterNode(key: value, mark: mark) { return refusal }
            events.append(YAMLEvent(kind: .scalar(value, plain: data.style == YAML_PLAIN_SCALAR_STYLE)))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            if let refusal = refuseDecorations(anchor: anchor, tag: tag, mark: mark) { return refusal }
            if let refusal = enterNode(key: nil, mark: mark) { return refusal }
            open.append(isMapping ? MappingKeys() : nil)
            events.append(YAMLEvent(kind: isMapping ? .mappingStart : .sequenceStart))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            open.removeLast()
            events.append(YAMLEvent(kind: event.type == YAML_MAPPING_END_EVENT ? .mappingEnd : .sequenceEnd))
        default:
            break
        }
        return nil
    }

    /// Records a node inside the innermost open mapping: a key must be a scalar that has not been seen there before.
    /// The mapping's entry is changed in place, so its key set is never copied.
    mutating func enterNode(key: String?, mark: YAMLMark) -> YAMLRefusal? {
        guard let last = open.indices.last, let expectingKey = open[last]?.expectingKey else { return nil }
        open[last]?.expectingKey = !expectingKey
        guard expectingKey else { return nil }
        guard let key else { return YAMLRefusal(message: "mapping keys must be plain strings", mark: mark) }
        if open[last]?.keys.insert(key).inserted == false {
            return YAMLRefusal(message: "duplicate key \(quoted(key))", mark: mark)
        }
        return nil
    }

    func refuseDecorations(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, mark: YAMLMark) -> YAMLRefusal? {
        if anchor != nil { return YAMLRefusal(message: "YAML anchors are not allowed; write each value out", mark: mark) }
        if tag != nil { return YAMLRefusal(message: "YAML tags are not allowed; write plain values", mark: mark) }
        return nil
    }
}

private func syntaxRefusal(_ parser: yaml_parser_t) -> YAMLRefusal {
    let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
    let context = parser.context.map { " (\(String(cString: $0)))" } ?? ""
    return YAMLRefusal(message: "invalid YAML: \(problem)\(context)", mark: YAMLMark(parser.problem_mark))
}
