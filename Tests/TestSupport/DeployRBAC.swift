public import Foundation

/// One thing RBAC allows: a verb on a resource (`pods/eviction` for a subresource) of an API group (`""` for core).
public struct RBACGrant: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The verb: get, list, watch, create, update, patch, delete, deletecollection.
    public var verb: String
    /// The API group, `""` for the core group.
    public var apiGroup: String
    /// The resource, with `/subresource` when there is one.
    public var resource: String

    /// A grant of `verb` on `resource` in `apiGroup`.
    public init(verb: String, apiGroup: String, resource: String) {
        self.verb = verb
        self.apiGroup = apiGroup
        self.resource = resource
    }

    /// The grant an API request needs, as the API server's authorizer sees it; `nil` for a path that names no resource
    /// (discovery such as `/api`, `/apis/apps/v1` or `/version`, which every authenticated user may read).
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The request path, with or without its query (`?watch=true` or `?watch=1` makes a GET a watch).
    public init?(method: String, path: String) {
        let parts = path.split(separator: "?", maxSplits: 1)
        let query = parts.count > 1 ? parts[1].split(separator: "&").map(String.init) : []
        var watch = query.contains("watch=true") || query.contains("watch=1")
        var segments = parts.first.map { $0.split(separator: "/").map(String.init) } ?? []
        let group: String
        switch segments.first {
        case "api" where segments.count > 2:
            group = ""
            segments.removeFirst(2)
        case "apis" where segments.count > 3:
            group = segments[1]
            segments.removeFirst(3)
        default:
            return nil
        }
        if segments.first == "watch" {
            watch = true
            segments.removeFirst()
        }
        if segments.first == "namespaces", segments.count > 2 { segments.removeFirst(2) }
        guard let resource = segments.first else { return nil }
        let named = segments.count > 1
        let verb: String
        switch method.uppercased() {
        case "GET", "HEAD": verb = watch ? "watch" : (named ? "get" : "list")
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = named ? "delete" : "deletecollection"
        default: return nil
        }
        let subresource = segments.count > 2 ? "/" + segments[2] : ""
        self.init(verb: verb, apiGroup: group, resource: resource + subresource)
    }

    public var description: String { "\(verb) \(apiGroup.isEmpty ? "core" : apiGroup)/\(resource)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.apiGroup, lhs.resource, lhs.verb) < (rhs.apiGroup, rhs.resource, rhs.verb)
    }
}

/// A resource that the generic `refresh` trigger may patch, granted through the install's extra list (empty by default).
public struct RBACResource: Hashable, Sendable {
    /// The API group, `""` for the core group.
    public var apiGroup: String
    /// The plural resource name, such as `inferenceservices`.
    public var resource: String

    /// The resource `resource` of `apiGroup`.
    public init(apiGroup: String, resource: String) {
        self.apiGroup = apiGroup
        self.resource = resource
    }
}

/// What triggergate's service account may do, as each install method renders it.
public struct DeployedRBAC: Sendable {
    /// Granted by `kubectl kustomize deploy/overlays/cert-manager` (with the extra refresh resources patched in).
    public var kustomize: Set<RBACGrant>
    /// Granted by `helm template chart/triggergate` (with the extra refresh resources set in values).
    public var helm: Set<RBACGrant>
}

/// Renders `deploy/` and the Helm chart and returns what the Roles and ClusterRoles bound to triggergate grant.
///
/// Each rule is expanded into one ``RBACGrant`` per verb, group and resource. It needs `helm` and `kubectl`
/// from `.ci/setup`.
///
/// - Parameter refreshResources: Extra resources for the generic `refresh` trigger, added the way a user would:
///   a JSON patch on the kustomize ClusterRole, and `rbac.refreshResources` in the chart's values.
public func renderDeployRBAC(refreshResources: [RBACResource] = []) async throws -> DeployedRBAC {
    let overlay = try kustomizeOverlay(adding: refreshResources)
    defer { try? FileManager.default.removeItem(at: overlay) }
    let kustomize = try await renderKustomization(overlay)
    var values: [String] = []
    for (index, extra) in refreshResources.enumerated() {
        values += [
            "--set-string", "rbac.refreshResources[\(index)].apiGroup=\(extra.apiGroup)",
            "--set-string", "rbac.refreshResources[\(index)].resources[0]=\(extra.resource)",
        ]
    }
    let helm = try await renderChart(values)
    return DeployedRBAC(kustomize: try rbacGrants(in: kustomize), helm: try rbacGrants(in: helm))
}

/// The grants of every Role and ClusterRole in a rendered YAML stream.
public func rbacGrants(in yaml: String) throws -> Set<RBACGrant> {
    var grants: Set<RBACGrant> = []
    for object in try manifestObjects(yaml) where ["Role", "ClusterRole"].contains(object["kind"] as? String) {
        for rule in object["rules"] as? [[String: Any]] ?? [] {
            for group in rule["apiGroups"] as? [String] ?? [] {
                for resource in rule["resources"] as? [String] ?? [] {
                    for verb in rule["verbs"] as? [String] ?? [] {
                        grants.insert(RBACGrant(verb: verb, apiGroup: group, resource: resource))
                    }
                }
            }
        }
    }
    return grants
}

/// A temporary kustomization over `deploy/overlays/cert-manager` that appends one `patch` rule per extra resource.
///
/// It lives in `.build` because kustomize takes only relative paths to other kustomizations.
private func kustomizeOverlay(adding extras: [RBACResource]) throws -> URL {
    let folder = packageRoot.appendingPathComponent(".build/tg-rbac-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - ../../deploy/overlays/cert-manager

        """
    if !extras.isEmpty {
        let operations: [[String: Any]] = extras.map { extra in
            ["op": "add", "path": "/rules/-",
             "value": ["apiGroups": [extra.apiGroup], "resources": [extra.resource], "verbs": ["get", "patch"]]]
        }
        try JSONSerialization.data(withJSONObject: operations).write(to: folder.appendingPathComponent("refresh.json"))
        kustomization += """
            patches:
              - path: refresh.json
                target: {kind: ClusterRole, name: triggergate}

            """
    }
    try kustomization.write(to: folder.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
    return folder
}
