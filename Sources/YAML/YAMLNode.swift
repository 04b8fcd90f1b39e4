public import OrderedCollections

/// A YAML node as written, with where it starts: a scalar with its style, a sequence, or a mapping with its keys in order.
///
/// Build with ``load(_:)`` or ``loadDocuments(_:_:)``; read with the subscript and the accessors. Scalars are not
/// resolved when loaded: ``scalarType`` tells a plain `true`, `123` or `null` from the quoted strings `"true"` and `"123"`.
public struct YAMLNode: Sendable, CustomStringConvertible {
    /// What a node holds.
    public enum Content: Sendable {
        /// A scalar's text; `plain` is false when it was quoted or a block scalar, which makes it a string whatever it reads.
        case scalar(String, plain: Bool)
        /// A sequence's items.
        case sequence([YAMLNode])
        /// A mapping's entries, in the order written (duplicate keys are refused when loading).
        case mapping(OrderedDictionary<String, YAMLNode>)
    }

    /// What the node holds.
    public var content: Content
    /// Where the node starts in the text.
    public var mark: YAMLMark

    /// Creates a node.
    public init(_ content: Content, mark: YAMLMark) {
        self.content = content
        self.mark = mark
    }

    /// The value of `key` in a mapping; nil for a missing key or a node that is not a mapping.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let entries) = content else { return nil }
        return entries[key]
    }

    /// The text of a scalar of any style; nil for a collection.
    public var text: String? {
        guard case .scalar(let text, _) = content else { return nil }
        return text
    }

    /// What a scalar resolves to; nil for a collection.
    public var scalarType: YAMLScalarType? {
        guard case .scalar(let text, let plain) = content else { return nil }
        return YAMLScalarType(text, plain: plain)
    }

    /// The items of a sequence; nil for anything else.
    public var items: [YAMLNode]? {
        guard case .sequence(let items) = content else { return nil }
        return items
    }

    /// The entries of a mapping; nil for anything else.
    public var entries: OrderedDictionary<String, YAMLNode>? {
        guard case .mapping(let entries) = content else { return nil }
        return entries
    }

    /// What the node is, for a message: `a list`, `a mapping`, `a string "x"`, `an empty value`, `boolean true`, `number 3`.
    public var kindDescription: String {
        switch content {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case let .scalar(text, plain):
            switch YAMLScalarType(text, plain: plain) {
            case .string: return "a string \(quoted(text))"
            case .null: return "an empty value"
            case let type: return "\(type.rawValue) \(text)"
            }
        }
    }

    /// The node in flow style, on one line: plain scalars as written, other scalars double-quoted, `[…]` and `{…}`.
    public var description: String {
        switch content {
        case let .scalar(text, plain): plain ? text : text.debugDescription
        case let .sequence(items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case let .mapping(entries): "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}
