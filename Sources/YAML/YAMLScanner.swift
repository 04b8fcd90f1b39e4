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
    try scanYAML(text, allowingSeveralDocuments: allowingSeveralDocuments) { (list: YAMLEventList) in document(list.events) }
}

/// What the scanner hands the node events of one document to. The builder decides what anchors, aliases and tags
/// mean: ``YAMLEventList`` refuses them, ``YAMLTreeBuilder`` expands them.
protocol YAMLDocumentBuilder {
    /// An empty builder, for a new document.
    init()
    /// Judges the anchor and tag (in full, `tag:yaml.org,2002:str`) written on the node that comes next, before the
    /// scanner checks the node itself; called only when the node has one of them.
    mutating func decorate(anchor: String?, tag: String?, mark: YAMLMark) throws(YAMLError)
    /// Takes an alias to the anchor `name`, before the scanner checks its place.
    mutating func takeAlias(_ name: String, mark: YAMLMark) throws(YAMLError)
    /// Takes a node event that passed the scanner's checks.
    mutating func take(_ event: YAMLEvent) throws(YAMLError)
}

/// Scans a YAML text with libyaml, one document at a time, checking what every builder relies on (one document
/// unless `allowingSeveralDocuments`, plain and unique mapping keys, nesting) and handing the events to a builder.
/// - Parameter document: called with each complete document's builder, in order.
func scanYAML<Builder: YAMLDocumentBuilder>(
    _ text: String, allowingSeveralDocuments: Bool, _ document: (Builder) -> Void
) throws(YAMLError) {
    // No text holds no document (and libyaml wants a non-null input pointer, which an empty string need not have).
    guard !text.isEmpty else { return }
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
    var text = text
    let failure = text.withUTF8 { buffer -> YAMLError? in
        yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
        var state = ScanState<Builder>(allowingSeveralDocuments: allowingSeveralDocuments)
        while true {
            guard yaml_parser_parse(parser, event) == 1 else { return syntaxError(parser.pointee) }
            defer { yaml_event_delete(event) }
            switch event.pointee.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_DOCUMENT_END_EVENT:
                document(state.builder)
                state.builder = Builder()
            default:
                do throws(YAMLError) {
                    try state.take(event.pointee)
                } catch {
                    return error
                }
            }
        }
    }
    if let failure { throw failure }
}

/// The builder of the current document, and the keys seen in each open mapping.
private struct ScanState<Builder: YAMLDocumentBuilder> {
    let allowingSeveralDocuments: Bool
    var builder = Builder()
    var documents = 0
    /// One entry per open collection: `nil` for a sequence, the keys so far (and whether a key comes next) for a mapping.
    var open: [MappingKeys?] = []

    init(allowingSeveralDocuments: Bool) {
        self.allowingSeveralDocuments = allowingSeveralDocuments
    }

    /// The keys of one open mapping. Most mappings have a handful of keys, which a linear scan checks faster than
    /// hashing; past 16 keys a set takes over, so a large mapping costs no more than hashing each key.
    struct MappingKeys {
        var few: [String] = []
        var many: Set<String>?
        var expectingKey = true

        /// Records `key`; returns `false` when the mapping already has it.
        mutating func insert(_ key: String) -> Bool {
            if many != nil { return many!.insert(key).inserted }
            guard !few.contains(key) else { return false }
            few.append(key)
            if few.count > 16 {
                many = Set(few)
                few = []
            }
            return true
        }
    }

    mutating func take(_ event: yaml_event_t) throws(YAMLError) {
        let mark = YAMLMark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1, !allowingSeveralDocuments {
                throw YAMLError(message: "several YAML documents are not allowed", mark: mark)
            }
        case YAML_ALIAS_EVENT:
            try builder.takeAlias(String(cString: event.data.alias.anchor), mark: mark)
            try enterNode(key: nil, mark: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            try decorate(anchor: data.anchor, tag: data.tag, mark: mark)
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: Int(data.length)), as: UTF8.self)
            try enterNode(key: value, mark: mark)
            try builder.take(YAMLEvent(kind: .scalar(value, plain: data.style == YAML_PLAIN_SCALAR_STYLE), mark: mark))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            try decorate(anchor: anchor, tag: tag, mark: mark)
            try enterNode(key: nil, mark: mark)
            if open.count == maxYAMLNesting {
                throw YAMLError(message: "YAML nested deeper than \(maxYAMLNesting) levels is not allowed", mark: mark)
            }
            open.append(isMapping ? MappingKeys() : nil)
            try builder.take(YAMLEvent(kind: isMapping ? .mappingStart : .sequenceStart, mark: mark))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            open.removeLast()
            try builder.take(YAMLEvent(kind: event.type == YAML_MAPPING_END_EVENT ? .mappingEnd : .sequenceEnd, mark: mark))
        default:
            break
        }
    }

    /// Records a node inside the innermost open mapping: a key must be a scalar that has not been seen there before.
    /// The mapping's entry is changed in place, so its key set is never copied.
    mutating func enterNode(key: String?, mark: YAMLMark) throws(YAMLError) {
        guard let last = open.indices.last, let expectingKey = open[last]?.expectingKey else { return }
        open[last]?.expectingKey = !expectingKey
        guard expectingKey else { return }
        guard let key else { throw YAMLError(message: "mapping keys must be plain strings", mark: mark) }
        if open[last]?.insert(key) == false {
            throw YAMLError(message: "duplicate key \(quoted(key))", mark: mark)
        }
    }

    /// Hands a node's anchor and tag to the builder, when it has one.
    mutating func decorate(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, mark: YAMLMark) throws(YAMLError) {
        guard anchor != nil || tag != nil else { return }
        try builder.decorate(anchor: anchor.map { String(cString: $0) }, tag: tag.map { String(cString: $0) }, mark: mark)
    }
}

/// The node events of one document, for ``scanYAMLEvents(_:)``: anchors, aliases and tags are refused, so that
/// nothing is ever expanded.
struct YAMLEventList: YAMLDocumentBuilder {
    /// The events so far; room for a short trigger list up front, so that the list is not regrown event by event.
    var events: [YAMLEvent] = []

    init() {
        events.reserveCapacity(64)
    }

    func decorate(anchor: String?, tag: String?, mark: YAMLMark) throws(YAMLError) {
        if anchor != nil { throw YAMLError(message: "YAML anchors are not allowed; write each value out", mark: mark) }
        throw YAMLError(message: "YAML tags are not allowed; write plain values", mark: mark)
    }

    func takeAlias(_ name: String, mark: YAMLMark) throws(YAMLError) {
        throw YAMLError(message: "YAML aliases are not allowed; write the value out", mark: mark)
    }

    mutating func take(_ event: YAMLEvent) {
        events.append(event)
    }
}

private func syntaxError(_ parser: yaml_parser_t) -> YAMLError {
    let problem = parser.problem.map { String(cString: $0) } ?? "unreadable YAML"
    let context = parser.context.map { " (\(String(cString: $0)))" } ?? ""
    return YAMLError(message: "invalid YAML: \(problem)\(context)", mark: YAMLMark(parser.problem_mark))
}
