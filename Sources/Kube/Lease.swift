/// A `coordination.k8s.io/v1` Lease, for leader election.
public struct Lease: Sendable, Equatable {
    /// The Lease's namespace.
    public var namespace: String
    /// The Lease's name.
    public var name: String
    /// The stored resourceVersion (the update precondition); nil for a new Lease.
    public var resourceVersion: String?
    /// Who holds it.
    public var holderIdentity: String?
    /// How long the holder may go without renewing.
    public var leaseDurationSeconds: Int?
    /// When the holder acquired it (MicroTime, see ``KubeTime/microTime(_:microseconds:)``).
    public var acquireTime: String?
    /// When the holder last renewed it (MicroTime).
    public var renewTime: String?
    /// How many times it changed hands.
    public var leaseTransitions: Int?

    /// Creates a Lease.
    public init(
        namespace: String, name: String, resourceVersion: String? = nil, holderIdentity: String? = nil,
        leaseDurationSeconds: Int? = nil, acquireTime: String? = nil, renewTime: String? = nil, leaseTransitions: Int? = nil
    ) {
        self.namespace = namespace
        self.name = name
        self.resourceVersion = resourceVersion
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    /// Reads a Lease object.
    public init(json: JSONValue) throws(KubeError) {
        guard let name = json["metadata", "name"]?.stringValue, let namespace = json["metadata", "namespace"]?.stringValue else {
            throw KubeError(kind: .decoding, request: "Lease", detail: "the Lease has no metadata.name or namespace")
        }
        self.init(
            namespace: namespace, name: name, resourceVersion: json["metadata", "resourceVersion"]?.stringValue,
            holderIdentity: json["spec", "holderIdentity"]?.stringValue,
            leaseDurationSeconds: json["spec", "leaseDurationSeconds"]?.intValue,
            acquireTime: json["spec", "acquireTime"]?.stringValue, renewTime: json["spec", "renewTime"]?.stringValue,
            leaseTransitions: json["spec", "leaseTransitions"]?.intValue)
    }

    /// The Lease as the API expects it (fields in the fixtures' order; unset fields left out).
    public var json: JSONValue {
        var metadata: [(String, JSONValue)] = [("name", .string(name)), ("namespace", .string(namespace))]
        if let resourceVersion { metadata.append(("resourceVersion", .string(resourceVersion))) }
        var spec: [(String, JSONValue)] = []
        if let holderIdentity { spec.append(("holderIdentity", .string(holderIdentity))) }
        if let leaseDurationSeconds { spec.append(("leaseDurationSeconds", .int(leaseDurationSeconds))) }
        if let acquireTime { spec.append(("acquireTime", .string(acquireTime))) }
        if let renewTime { spec.append(("renewTime", .string(renewTime))) }
        if let leaseTransitions { spec.append(("leaseTransitions", .int(leaseTransitions))) }
        return .object([
            ("apiVersion", "coordination.k8s.io/v1"), ("kind", "Lease"), ("metadata", .object(metadata)), ("spec", .object(spec)),
        ])
    }
}
