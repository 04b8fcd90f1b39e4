/// A resource type of the API: group, version, plural name, and whether its objects live in namespaces.
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    /// The API group; "" for the core group.
    public var group: String
    /// The version, for example `v1`.
    public var version: String
    /// The plural resource name, for example `deployments`.
    public var plural: String
    /// Whether objects live in namespaces.
    public var namespaced: Bool

    /// Creates a resource type.
    public init(group: String, version: String, plural: String, namespaced: Bool = true) {
        self.group = group
        self.version = version
        self.plural = plural
        self.namespaced = namespaced
    }

    /// `v1` or `group/version`.
    public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `plural.group/version`, for messages.
    public var description: String { group.isEmpty ? "\(plural)/\(version)" : "\(plural).\(group)/\(version)" }

    /// The URL path of a collection or one object: `/apis/G/V[/namespaces/NS]/PLURAL[/NAME[/SUBRESOURCE]]`.
    ///
    /// - Parameters:
    ///   - namespace: The namespace; nil for all namespaces or a cluster-scoped resource.
    ///   - name: The object's name; nil for the collection.
    ///   - subresource: `status`, `eviction`, ...
    public func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { path += "/namespaces/\(PathEscaping.segment(namespace))" }
        path += "/\(plural)"
        if let name { path += "/\(PathEscaping.segment(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }

    /// `notebookvalidationjobs.mlops.mlops.dev/v1alpha1`.
    public static let notebookValidationJobs = ResourceType(group: "mlops.mlops.dev", version: "v1alpha1", plural: "notebookvalidationjobs")
    /// `deployments.apps/v1`.
    public static let deployments = ResourceType(group: "apps", version: "v1", plural: "deployments")
    /// `statefulsets.apps/v1`.
    public static let statefulSets = ResourceType(group: "apps", version: "v1", plural: "statefulsets")
    /// `daemonsets.apps/v1`.
    public static let daemonSets = ResourceType(group: "apps", version: "v1", plural: "daemonsets")
    /// `applications.argoproj.io/v1alpha1`.
    public static let applications = ResourceType(group: "argoproj.io", version: "v1alpha1", plural: "applications")
    /// `inferenceservices.serving.kserve.io/v1beta1`.
    public static let inferenceServices = ResourceType(group: "serving.kserve.io", version: "v1beta1", plural: "inferenceservices")
    /// `pods/v1`.
    public static let pods = ResourceType(group: "", version: "v1", plural: "pods")
    /// `events/v1` (core).
    public static let events = ResourceType(group: "", version: "v1", plural: "events")
    /// `namespaces/v1` (cluster-scoped).
    public static let namespaces = ResourceType(group: "", version: "v1", plural: "namespaces", namespaced: false)
    /// `leases.coordination.k8s.io/v1`.
    public static let leases = ResourceType(group: "coordination.k8s.io", version: "v1", plural: "leases")
    /// `subjectaccessreviews.authorization.k8s.io/v1` (cluster-scoped, create only).
    public static let subjectAccessReviews = ResourceType(
        group: "authorization.k8s.io", version: "v1", plural: "subjectaccessreviews", namespaced: false)
}

/// Percent-encoding for path segments and query values.
public enum PathEscaping {
    /// Escapes everything but unreserved characters (RFC 3986), and the bytes in `extra`.
    public static func escape(_ text: String, keeping extra: Set<UInt8> = []) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case _ where extra.contains(byte):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// A path segment (names are DNS-1123 in practice; anything else is escaped).
    static func segment(_ text: String) -> String { escape(text, keeping: [UInt8(ascii: ":"), UInt8(ascii: "@")]) }

    /// `?k=v&k=v` from pairs in order; "" when empty.
    static func query(_ items: [(String, String)]) -> String {
        items.isEmpty ? "" : "?" + items.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}
