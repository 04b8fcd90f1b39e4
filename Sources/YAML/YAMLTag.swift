/// A standard YAML tag (`!!str`, `!!int`, …), which the loaders accept on the nodes whose shape it fits.
enum YAMLTag: String {
    case str, int, float, bool, null, map, seq

    /// The tag written in full, as libyaml reports it (`tag:yaml.org,2002:str`).
    /// - Throws: ``YAMLError`` for any other tag.
    init(_ name: String, mark: YAMLMark) throws(YAMLError) {
        let prefix = "tag:yaml.org,2002:"
        guard name.hasPrefix(prefix), let tag = YAMLTag(rawValue: String(name.dropFirst(prefix.count))) else {
            let shown = name.hasPrefix(prefix) ? "!!" + name.dropFirst(prefix.count) : name
            throw YAMLError(
                message: "YAML tag \(shown) is not supported; use one of !!str, !!int, !!float, !!bool, !!null, !!map, !!seq",
                mark: mark)
        }
        self = tag
    }

    /// The scalar's style once tagged: `!!str` makes it a string whatever it reads, the other scalar tags make it
    /// plain, so that it resolves as their type.
    /// - Returns: whether the tagged scalar is plain.
    /// - Throws: ``YAMLError`` when the text does not read as the tag's type, or the tag is for a collection.
    func tagScalar(_ text: String, mark: YAMLMark) throws(YAMLError) -> Bool {
        let fits = switch self {
        case .str: true
        case .int, .float: YAMLScalarType(text, plain: true) == .number
        case .bool: YAMLScalarType(text, plain: true) == .boolean
        case .null: YAMLScalarType(text, plain: true) == .null
        case .map, .seq: false
        }
        guard fits else { throw mismatch(YAMLNode(.scalar(text, plain: false), mark: mark)) }
        return self != .str
    }

    /// Checks that the tag fits a collection.
    /// - Throws: ``YAMLError`` when it does not (`!!seq` on a mapping, `!!int` on a list).
    func tagCollection(_ node: YAMLNode) throws(YAMLError) {
        switch (self, node.content) {
        case (.map, .mapping), (.seq, .sequence): return
        default: throw mismatch(node)
        }
    }

    private func mismatch(_ node: YAMLNode) -> YAMLError {
        YAMLError(message: "YAML tag !!\(rawValue) does not fit \(node.kindDescription)", mark: node.mark)
    }
}
