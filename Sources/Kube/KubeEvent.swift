/// A core/v1 Event about an object (the shape of fixture 62).
public struct KubeEvent: Sendable {
    /// The object the event is about.
    public struct InvolvedObject: Sendable {
        /// The object's apiVersion.
        public var apiVersion: String
        /// The object's kind.
        public var kind: String
        /// The object's namespace (also the event's).
        public var namespace: String
        /// The object's name.
        public var name: String
        /// The object's uid, so the event stays with this incarnation of the object.
        public var uid: String?
        /// The object's resourceVersion when the event happened.
        public var resourceVersion: String?

        /// Creates a reference.
        public init(apiVersion: String, kind: String, namespace: String, name: String, uid: String? = nil, resourceVersion: String? = nil) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.namespace = namespace
            self.name = name
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    /// The event's namespace: the involved object's.
    public var namespace: String { involvedObject.namespace }
    /// The event's name; when nil, `generateName` is `<object name>.` and the server picks the rest.
    public var name: String?
    /// What it is about.
    public var involvedObject: InvolvedObject
    /// `TriggerSucceeded`, `TriggerFailed`, ...
    public var reason: String
    /// A sentence for a person.
    public var message: String
    /// `Normal` or `Warning`.
    public var type: String
    /// The reporting component (`source.component`, `reportingComponent`).
    public var component: String
    /// The reporting instance (pod name).
    public var reportingInstance: String?
    /// When it first happened (RFC 3339).
    public var firstTimestamp: String
    /// When it last happened (RFC 3339).
    public var lastTimestamp: String
    /// How often it happened.
    public var count: Int

    /// Creates an event that happened once, now.
    public init(
        involvedObject: InvolvedObject, reason: String, message: String, type: String = "Normal", name: String? = nil,
        component: String = "triggergate", reportingInstance: String? = nil, timestamp: String = KubeTime.rfc3339()
    ) {
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.type = type
        self.name = name
        self.component = component
        self.reportingInstance = reportingInstance
        firstTimestamp = timestamp
        lastTimestamp = timestamp
        count = 1
    }

    /// The Event object.
    public var json: JSONValue {
        let metadata: JSONValue =
            name.map { .object([("name", .string($0)), ("namespace", .string(namespace))]) }
            ?? .object([("generateName", .string(involvedObject.name + ".")), ("namespace", .string(namespace))])
        var involved: [(String, JSONValue)] = [
            ("apiVersion", .string(involvedObject.apiVersion)), ("kind", .string(involvedObject.kind)),
            ("name", .string(involvedObject.name)), ("namespace", .string(involvedObject.namespace)),
        ]
        if let uid = involvedObject.uid { involved.append(("uid", .string(uid))) }
        if let resourceVersion = involvedObject.resourceVersion { involved.append(("resourceVersion", .string(resourceVersion))) }
        var members: [(String, JSONValue)] = [
            ("apiVersion", "v1"), ("kind", "Event"), ("metadata", metadata), ("involvedObject", .object(involved)),
            ("reason", .string(reason)), ("message", .string(message)), ("source", ["component": .string(component)]),
            ("firstTimestamp", .string(firstTimestamp)), ("lastTimestamp", .string(lastTimestamp)), ("count", .int(count)),
            ("type", .string(type)), ("reportingComponent", .string(component)),
        ]
        if let reportingInstance { members.append(("reportingInstance", .string(reportingInstance))) }
        return .object(members)
    }
}
