internal import OrderedCollections

extension YAMLNode {
    /// Loads a YAML text of one document, with the refusals of ``scanYAMLEvents(_:)`` (anchors, aliases, tags,
    /// complex and duplicate keys, deep nesting, a second document).
    /// - Returns: the document's root node, or nil when the text holds no document.
    /// - Throws: ``YAMLError`` with the place of the first problem.
    public static func load(_ text: String) throws(YAMLError) -> YAMLNode? {
        let events = try scanYAMLEvents(text)
        return events.isEmpty ? nil : YAMLNode(events: events)
    }

    /// Loads a stream of YAML documents separated by `---`, with the refusals of ``scanYAMLEvents(_:)`` except
    /// that several documents are allowed.
    /// - Parameters:
    ///   - text: the YAML text.
    ///   - document: called with each document's root node, in order; the documents before an error have been
    ///     handed over when the error is thrown.
    /// - Throws: ``YAMLError`` with the place of the first problem.
    public static func loadDocuments(_ text: String, _ document: (YAMLNode) -> Void) throws(YAMLError) {
        try scanYAMLDocuments(text, allowingSeveralDocuments: true) { events in
            document(YAMLNode(events: events))
        }
    }

    /// Builds the tree of one document from its node events, which the scanner has checked to be well nested, with a
    /// scalar for every mapping key.
    init(events: [YAMLEvent]) {
        /// A collection being built, and the key whose value comes next when it is a mapping.
        struct Open {
            var mark: YAMLMark
            var items: [YAMLNode]?
            var entries: OrderedDictionary<String, YAMLNode>?
            var key: String?
        }
        var open: [Open] = []
        var root: YAMLNode?
        for event in events {
            let node: YAMLNode
            switch event.kind {
            case .sequenceStart:
                open.append(Open(mark: event.mark, items: []))
                continue
            case .mappingStart:
                open.append(Open(mark: event.mark, entries: [:]))
                continue
            case .sequenceEnd, .mappingEnd:
                let done = open.removeLast()
                node = YAMLNode(done.entries.map(Content.mapping) ?? .sequence(done.items ?? []), mark: done.mark)
            case let .scalar(text, plain):
                node = YAMLNode(.scalar(text, plain: plain), mark: event.mark)
            }
            guard let last = open.indices.last else {
                root = node
                continue
            }
            if open[last].entries == nil {
                open[last].items?.append(node)
            } else if let key = open[last].key {
                open[last].entries?[key] = node
                open[last].key = nil
            } else {
                open[last].key = node.text
            }
        }
        self = root ?? YAMLNode(.scalar("", plain: true), mark: YAMLMark(line: 1, column: 1))
    }
}
