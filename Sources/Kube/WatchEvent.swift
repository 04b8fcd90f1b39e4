/// One event of a watch stream.
public struct WatchEvent: Sendable {
    /// The event type.
    public enum EventType: String, Sendable {
        /// The object was created (or existed when a watch from resourceVersion "" or "0" started).
        case added = "ADDED"
        /// The object changed.
        case modified = "MODIFIED"
        /// The object was deleted; `object` is its last state, with a new resourceVersion.
        case deleted = "DELETED"
        /// No change: `object` carries only apiVersion, kind and `metadata.resourceVersion`, to resume from.
        case bookmark = "BOOKMARK"
    }

    /// What happened.
    public var type: EventType
    /// The object (ADDED, MODIFIED, DELETED) or the bookmark.
    public var object: JSONValue

    /// The object's `metadata.resourceVersion`: where to resume the watch after this event.
    public var resourceVersion: String? { object["metadata", "resourceVersion"]?.stringValue }

    /// Creates an event.
    public init(type: EventType, object: JSONValue) {
        self.type = type
        self.object = object
    }
}
