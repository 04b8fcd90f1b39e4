extension YAMLNode {
    /// Loads a YAML text of one document the way kubectl reads manifests: anchors and aliases are expanded,
    /// `<<` merge keys merged and the standard tags (`!!str`, `!!int`, …) applied; complex and duplicate keys,
    /// other tags, deep nesting, an alias bomb (``maxYAMLAliasNodes``) and a second document are refused.
    /// - Returns: the document's root node, or nil when the text holds no document.
    /// - Throws: ``YAMLError`` with the place of the first problem.
    public static func load(_ text: String) throws(YAMLError) -> YAMLNode? {
        var root: YAMLNode?
        try scanYAML(text, allowingSeveralDocuments: false) { (builder: YAMLTreeBuilder) in root = builder.document }
        return root
    }

    /// Loads a stream of YAML documents separated by `---`, each as ``load(_:)`` loads one.
    /// - Parameters:
    ///   - text: the YAML text.
    ///   - document: called with each document's root node, in order; the documents before an error have been
    ///     handed over when the error is thrown.
    /// - Throws: ``YAMLError`` with the place of the first problem.
    public static func loadDocuments(_ text: String, _ document: (YAMLNode) -> Void) throws(YAMLError) {
        try scanYAML(text, allowingSeveralDocuments: true) { (builder: YAMLTreeBuilder) in document(builder.document) }
    }
}

extension YAMLTreeBuilder {
    /// The root of a complete document; libyaml gives an empty document an empty plain scalar, and so does this.
    var document: YAMLNode {
        root ?? YAMLNode(.scalar("", plain: true), mark: YAMLMark(line: 1, column: 1))
    }
}
