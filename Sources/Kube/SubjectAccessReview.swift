/// An `authorization.k8s.io/v1` SubjectAccessReview: may `user` do `verb` on a resource?
public struct SubjectAccessReview: Sendable {
    /// The user asked about.
    public var user: String
    /// The user's groups.
    public var groups: [String]
    /// The user's uid.
    public var uid: String?
    /// The user's extra attributes, as the authenticator gave them.
    public var extra: [String: [String]]
    /// The namespace of the resource; nil for cluster scope.
    public var namespace: String?
    /// The verb: get, list, watch, create, update, patch, delete.
    public var verb: String
    /// The API group ("" for core).
    public var group: String
    /// The API version, if it matters.
    public var version: String?
    /// The resource (plural).
    public var resource: String
    /// The subresource (`eviction`, `status`).
    public var subresource: String?
    /// The object's name; nil for all objects.
    public var name: String?

    /// Creates a review.
    public init(
        user: String, groups: [String] = [], uid: String? = nil, extra: [String: [String]] = [:], namespace: String?, verb: String, group: String,
        version: String? = nil, resource: String, subresource: String? = nil, name: String? = nil
    ) {
        self.user = user
        self.groups = groups
        self.uid = uid
        self.extra = extra
        self.namespace = namespace
        self.verb = verb
        self.group = group
        self.version = version
        self.resource = resource
        self.subresource = subresource
        self.name = name
    }

    /// The server's answer.
    public struct Result: Sendable, Equatable {
        /// Whether the user may.
        public var allowed: Bool
        /// Whether an authorizer denied it outright.
        public var denied: Bool
        /// The authorizer's reason, if any.
        public var reason: String?
    }

    /// The review object (the shape of fixture 49).
    public var json: JSONValue {
        var attributes: [(String, JSONValue)] = []
        if let namespace { attributes.append(("namespace", .string(namespace))) }
        attributes.append(("verb", .string(verb)))
        attributes.append(("group", .string(group)))
        if let version { attributes.append(("version", .string(version))) }
        attributes.append(("resource", .string(resource)))
        if let subresource { attributes.append(("subresource", .string(subresource))) }
        if let name { attributes.append(("name", .string(name))) }
        var spec: [(String, JSONValue)] = [("user", .string(user))]
        if let uid { spec.append(("uid", .string(uid))) }
        if !groups.isEmpty { spec.append(("groups", .array(groups.map { .string($0) }))) }
        if !extra.isEmpty {
            spec.append(("extra", .object(extra.keys.sorted().map { key in (key, .array(extra[key]!.map { .string($0) })) })))
        }
        spec.append(("resourceAttributes", .object(attributes)))
        return .object([("apiVersion", "authorization.k8s.io/v1"), ("kind", "SubjectAccessReview"), ("spec", .object(spec))])
    }
}
