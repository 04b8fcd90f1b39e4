/// An `APIResourceList` from discovery (`/api/v1`, `/apis/GROUP/VERSION`), reduced to what the reconciler uses.
public struct APIResourceList: Sendable {
    /// One resource or subresource.
    public struct Resource: Sendable, Equatable {
        /// The plural name, or `pods/eviction` for a subresource.
        public var name: String
        /// The kind.
        public var kind: String
        /// Whether objects live in namespaces.
        public var namespaced: Bool
        /// For a subresource served in another group (Eviction: `policy`): that group.
        public var group: String?
        /// For a subresource served in another version: that version.
        public var version: String?
        /// The verbs allowed.
        public var verbs: [String]
    }

    /// `v1` or `group/version`.
    public var groupVersion: String
    /// The resources and subresources.
    public var resources: [Resource]

    /// The top-level resource (not a subresource) of `kind`.
    public func resource(kind: String) -> Resource? {
        resources.first { $0.kind == kind && !$0.name.contains("/") }
    }

    /// The Eviction group/version this list (`/api/v1`) names for `pods/eviction` (`policy/v1beta1` on 1.19, `policy/v1`
    /// on current clusters); `policy/v1` when the entry names none.
    public var evictionGroupVersion: String {
        guard let entry = resources.first(where: { $0.name == "pods/eviction" }), let group = entry.group,
            let version = entry.version, !group.isEmpty, !version.isEmpty
        else { return "policy/v1" }
        return "\(group)/\(version)"
    }

    /// Decodes a discovery answer; `nil` when it is not an `APIResourceList`.
    ///
    /// - Parameters:
    ///   - body: The answer's JSON body.
    ///   - groupVersion: The group/version asked for, used when the answer does not name it.
    public init?(body: [UInt8], groupVersion: String = "") {
        guard let value = try? JSONValue(parsing: body), let items = value["resources"]?.arrayValue else { return nil }
        self.groupVersion = value["groupVersion"]?.stringValue ?? groupVersion
        resources = items.compactMap { item in
            guard let name = item["name"]?.stringValue, let kind = item["kind"]?.stringValue else { return nil }
            return Resource(
                name: name, kind: kind, namespaced: item["namespaced"]?.boolValue ?? false,
                group: item["group"]?.stringValue, version: item["version"]?.stringValue,
                verbs: item["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }
}

extension KubeClient {
    /// Reads the discovery document of `groupVersion` (`v1` → `/api/v1`, else `/apis/GROUP/VERSION`).
    ///
    /// - Throws: ``KubeError`` `.notFound` when the server does not serve that group/version.
    public func discover(groupVersion: String) async throws -> APIResourceList {
        let path = groupVersion.contains("/") ? "/apis/\(groupVersion)" : "/api/\(groupVersion)"
        let request = KubeRequest(method: "GET", path: path)
        guard let list = APIResourceList(body: try await call(request), groupVersion: groupVersion) else {
            throw KubeError(kind: .decoding, request: request.summary, detail: "the answer is not an APIResourceList")
        }
        return list
    }

    /// The resource type serving `kind` in `apiVersion` (`apps/v1`, `Deployment` → `deployments.apps/v1`, namespaced).
    ///
    /// - Throws: ``KubeError`` `.notFound` when the group/version or the kind is not served.
    public func resourceType(apiVersion: String, kind: String) async throws -> ResourceType {
        let list = try await discover(groupVersion: apiVersion)
        guard let resource = list.resource(kind: kind) else {
            throw KubeError(kind: .notFound, request: "GET discovery \(apiVersion)",
                            detail: "\(apiVersion) serves no kind \(kind); check the apiVersion and kind, and that its CRD is installed")
        }
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        return ResourceType(
            group: parts.count == 2 ? parts[0] : "", version: parts.last ?? apiVersion, plural: resource.name,
            namespaced: resource.namespaced)
    }

    /// The Eviction group/version `/api/v1` lists for `pods/eviction` (`policy/v1beta1` on 1.19, `policy/v1` on current
    /// clusters); `policy/v1` when the entry names none.
    public func evictionGroupVersion() async throws -> String {
        try await discover(groupVersion: "v1").evictionGroupVersion
    }
}
