/// Where a trigger points once the job's namespace fills in the default.
public struct TriggerTarget: Sendable, Hashable, CustomStringConvertible {
    /// The trigger as written.
    public var trigger: Trigger
    /// The target's namespace: the trigger's, or the job's.
    public var namespace: String

    /// Resolves `trigger` for a job in `jobNamespace`.
    public init(_ trigger: Trigger, jobNamespace: String) {
        self.trigger = trigger
        self.namespace = trigger.namespace ?? jobNamespace
    }

    /// The API group: empty for the core `v1`.
    public var group: String {
        guard let slash = trigger.apiVersion.firstIndex(of: "/") else { return "" }
        return String(trigger.apiVersion[..<slash])
    }

    /// The API version without the group.
    public var version: String {
        guard let slash = trigger.apiVersion.firstIndex(of: "/") else { return trigger.apiVersion }
        return String(trigger.apiVersion[trigger.apiVersion.index(after: slash)...])
    }

    /// `<apiVersion>/<kind>/<namespace>/<name>`, the `target` of a `trigger-status` entry.
    public var description: String { "\(trigger.apiVersion)/\(trigger.kind)/\(namespace)/\(trigger.name)" }

    /// `<action> <apiVersion> <kind> <namespace>/<name>`, how messages and Events name the trigger.
    public var label: String { "\(trigger.action.rawValue) \(trigger.apiVersion) \(trigger.kind) \(namespace)/\(trigger.name)" }

    /// The root of the target's group/version in the API: `/api/v1` or `/apis/<group>/<version>`.
    public var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The path of the target, given its resource's plural name and whether it is namespaced.
    public func path(plural: String, namespaced: Bool = true) -> String {
        namespaced
            ? "\(groupVersionPath)/namespaces/\(namespace)/\(plural)/\(trigger.name)"
            : "\(groupVersionPath)/\(plural)/\(trigger.name)"
    }

    /// The plural of the apps/v1 workloads `restart` patches, or `nil` for any other kind.
    public var appsWorkloadPlural: String? {
        guard trigger.apiVersion == "apps/v1" else { return nil }
        switch trigger.kind {
        case "Deployment": return "deployments"
        case "StatefulSet": return "statefulsets"
        case "DaemonSet": return "daemonsets"
        default: return nil
        }
    }

    /// Whether the target is an ArgoCD Application.
    public var isArgoApplication: Bool { trigger.apiVersion == "argoproj.io/v1alpha1" && trigger.kind == "Application" }

    /// Whether the target is a KServe InferenceService.
    public var isInferenceService: Bool { trigger.apiVersion == "serving.kserve.io/v1beta1" && trigger.kind == "InferenceService" }
}
