import FoundationEssentials

/// An `APIResourceList` from discovery, reduced to the resources' names, kinds and scopes.
public struct ResourceList: Sendable, Decodable {
    /// One resource of the list.
    public struct Resource: Sendable, Decodable {
        /// The plural name, or `pods/eviction` for a subresource.
        public var name: String
        /// Whether objects live in namespaces.
        public var namespaced: Bool
        /// The kind.
        public var kind: String
        /// For a subresource served in another group: that group.
        public var group: String?
        /// For a subresource served in another version: that version.
        public var version: String?
    }

    /// The resources.
    public var resources: [Resource]

    /// Decodes a discovery body; `nil` when it is not an `APIResourceList`.
    public init?(body: [UInt8]) {
        guard let decoded = try? JSONDecoder().decode(ResourceList.self, from: Data(body)) else { return nil }
        self = decoded
    }

    /// The top-level resource (not a subresource) of `kind`.
    public func resource(kind: String) -> Resource? {
        resources.first { $0.kind == kind && !$0.name.contains("/") }
    }

    /// The Eviction group/version `/api/v1` lists for `pods/eviction`; `policy/v1` when it names none.
    public var evictionGroupVersion: String {
        guard let eviction = resources.first(where: { $0.name == "pods/eviction" }), let group = eviction.group,
            let version = eviction.version, !group.isEmpty, !version.isEmpty
        else { return "policy/v1" }
        return "\(group)/\(version)"
    }
}
