import Kube

/// One RBAC rule triggergate's service account needs: verbs on a resource, across the cluster or in the Lease's namespace.
public struct AccessRule: Sendable, Equatable {
    /// Where the rule must hold.
    public enum Scope: Sendable, Equatable {
        /// Every namespace (a ClusterRole): the resource can be anywhere a job's trigger points.
        case cluster
        /// The Lease's namespace only (a Role).
        case leaseNamespace
    }

    /// The API group, `""` for core.
    public var group: String
    /// The resource (plural).
    public var resource: String
    /// The subresource, such as `eviction`.
    public var subresource: String?
    /// The verbs the code uses.
    public var verbs: [String]
    /// Where.
    public var scope: Scope

    /// `resource.group` or `resource/subresource`, as `kubectl auth can-i` names it.
    public var label: String {
        let name = resource + (subresource.map { "/" + $0 } ?? "")
        return group.isEmpty ? name : "\(name).\(group)"
    }

    init(_ type: ResourceType, subresource: String? = nil, _ verbs: [String], scope: Scope = .cluster) {
        self.init(group: type.group, resource: type.plural, subresource: subresource, verbs: verbs, scope: scope)
    }

    init(group: String, resource: String, subresource: String?, verbs: [String], scope: Scope) {
        self.group = group
        self.resource = resource
        self.subresource = subresource
        self.verbs = verbs
        self.scope = scope
    }
}

extension AccessRule {
    /// Every verb the reconciler, `serve`'s admission and `wait` use, on what: what deploy/ and the chart grant
    /// (a test holds the three equal), and what `triggergate doctor` asks a SubjectAccessReview about. A `refresh`
    /// trigger's extra resources (`rbac.refreshResources`) are the user's and not listed.
    public static let triggergate: [AccessRule] = [
        AccessRule(.notebookValidationJobs, ["get", "list", "watch", "patch"]),
        AccessRule(.deployments, ["get", "patch"]),
        AccessRule(.statefulSets, ["get", "patch"]),
        AccessRule(.daemonSets, ["get", "patch"]),
        AccessRule(.inferenceServices, ["get"]),
        AccessRule(.pods, ["list"]),
        AccessRule(.pods, subresource: "eviction", ["create"]),
        AccessRule(.applications, ["get", "patch"]),
        AccessRule(.events, ["create", "patch"]),
        AccessRule(.namespaces, ["get", "list", "watch"]),
        AccessRule(.subjectAccessReviews, ["create"]),
        AccessRule(.leases, ["get", "create", "update"], scope: .leaseNamespace),
    ]
}
