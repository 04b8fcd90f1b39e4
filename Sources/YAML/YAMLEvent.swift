/// A libyaml node event, reduced to the shapes the loaders build from (anchors, aliases and tags never become events:
/// the scanner hands them to its builder apart, which refuses or expands them).
public struct YAMLEvent: Sendable, Equatable {
    /// What the event opens, closes or carries.
    public enum Kind: Sendable, Equatable {
        /// A sequence begins; its items follow, then ``sequenceEnd``.
        case sequenceStart
        /// The innermost open sequence ends.
        case sequenceEnd
        /// A mapping begins; key and value nodes follow in turn, then ``mappingEnd``.
        case mappingStart
        /// The innermost open mapping ends.
        case mappingEnd
        /// A scalar; `plain` is false when it was quoted or a block scalar, which makes it a string whatever it reads.
        case scalar(String, plain: Bool)
    }

    /// What the event is.
    public var kind: Kind
    /// Where the node starts in the text.
    public var mark: YAMLMark

    /// Creates an event.
    public init(kind: Kind, mark: YAMLMark) {
        self.kind = kind
        self.mark = mark
    }
}
