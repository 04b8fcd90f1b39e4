internal import OrderedCollections

/// The most nodes that aliases may add to one document once expanded. The tree shares the storage of an aliased
/// node, but anything that walks the tree visits every copy; past this bound (an alias bomb) loading fails.
public let maxYAMLAliasNodes = 100_000

/// Builds the tree of one document from the scanner's events the way kubectl reads YAML: anchors and aliases are
/// expanded (an alias shares its node's storage), `<<` merge keys are merged, and the standard tags are applied.
struct YAMLTreeBuilder: YAMLDocumentBuilder {
    /// A collection being built.
    private struct Open {
        var mark: YAMLMark
        var anchor: String?
        var tag: YAMLTag?
        /// The nodes in the collection once expanded, itself included.
        var size = 1
        var items: [YAMLNode]?
        var entries: OrderedDictionary<String, YAMLNode>?
        /// In a mapping, the key whose value comes next.
        var key: String?
        /// Whether that key is the merge key `<<`.
        var keyIsMerge = false
        /// The value of the `<<` key, and how many entries were written before it.
        var merge: (value: YAMLNode, position: Int)?
    }

    private var open: [Open] = []
    /// The document's root, once its last event has been taken.
    private(set) var root: YAMLNode?
    /// The nodes anchored so far, with their sizes once expanded.
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    /// The nodes the aliases so far expand to.
    private var aliasNodes = 0
    /// The anchor and tag of the node that comes next.
    private var anchor: String?
    private var tag: YAMLTag?

    mutating func decorate(anchor: String?, tag: String?, mark: YAMLMark) throws(YAMLError) {
        self.anchor = anchor
        self.tag = try tag.map { name throws(YAMLError) in try YAMLTag(name, mark: mark) }
    }

    mutating func takeAlias(_ name: String, mark: YAMLMark) throws(YAMLError) {
        if open.contains(where: { $0.anchor == name }) {
            throw YAMLError(message: "YAML alias *\(name) is inside the node anchored &\(name)", mark: mark)
        }
        guard let (node, size) = anchors[name] else {
            throw YAMLError(
                message: "YAML alias *\(name) has no anchor &\(name) before it in its document (anchors do not carry over ---)",
                mark: mark)
        }
        aliasNodes += size
        if aliasNodes > maxYAMLAliasNodes {
            throw YAMLError(
                message: "YAML aliases expand to more than \(maxYAMLAliasNodes) nodes in one document; write fewer aliases",
                mark: mark)
        }
        add(node, size: size, anchor: nil)
    }

    mutating func take(_ event: YAMLEvent) throws(YAMLError) {
        let (anchor, tag) = (self.anchor, self.tag)
        (self.anchor, self.tag) = (nil, nil)
        switch event.kind {
        case .sequenceStart:
            open.append(Open(mark: event.mark, anchor: anchor, tag: tag, items: []))
        case .mappingStart:
            open.append(Open(mark: event.mark, anchor: anchor, tag: tag, entries: [:]))
        case .sequenceEnd, .mappingEnd:
            let done = open.removeLast()
            var node = YAMLNode(.sequence(done.items ?? []), mark: done.mark)
            if let entries = done.entries {
                node.content = .mapping(try done.merge.map { merge throws(YAMLError) in try merged(entries, merge) } ?? entries)
            }
            try done.tag?.tagCollection(node)
            add(node, size: done.size, anchor: done.anchor)
        case let .scalar(text, plain):
            let tagged = try tag.map { tag throws(YAMLError) in try tag.tagScalar(text, mark: event.mark) } ?? plain
            add(YAMLNode(.scalar(text, plain: tagged), mark: event.mark), size: 1, anchor: anchor)
        }
    }

    /// Puts a complete node in its collection, or makes it the root.
    private mutating func add(_ node: YAMLNode, size: Int, anchor: String?) {
        if let anchor { anchors[anchor] = (node, size) }
        guard let last = open.indices.last else {
            root = node
            return
        }
        open[last].size += size
        if open[last].entries == nil {
            open[last].items?.append(node)
        } else if let key = open[last].key {
            if open[last].keyIsMerge {
                open[last].merge = (node, open[last].entries?.count ?? 0)
            } else {
                open[last].entries?[key] = node
            }
            open[last].key = nil
            open[last].keyIsMerge = false
        } else {
            open[last].key = node.text
            if case .scalar("<<", plain: true) = node.content { open[last].keyIsMerge = true }
        }
    }
}

/// A mapping's entries with the entries of a `<<` merge key in its place: from a mapping, or from a list of mappings
/// where earlier mappings win; the keys written in the mapping itself win over merged ones.
/// - Throws: ``YAMLError`` when the merge value is not a mapping or a list of mappings.
private func merged(
    _ entries: OrderedDictionary<String, YAMLNode>, _ merge: (value: YAMLNode, position: Int)
) throws(YAMLError) -> OrderedDictionary<String, YAMLNode> {
    let sources = merge.value.items ?? [merge.value]
    var result = OrderedDictionary(uniqueKeysWithValues: entries.elements.prefix(merge.position))
    for source in sources {
        guard let sourceEntries = source.entries else {
            throw YAMLError(
                message: "the << merge key wants a mapping or a list of mappings, got \(source.kindDescription)", mark: source.mark)
        }
        for (key, value) in sourceEntries where entries[key] == nil && result[key] == nil {
            result[key] = value
        }
    }
    for (key, value) in entries.elements.dropFirst(merge.position) {
        result[key] = value
    }
    return result
}
