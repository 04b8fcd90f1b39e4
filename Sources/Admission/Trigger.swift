/// What a trigger does to its target when the job succeeds (SPEC §1.1).
public enum TriggerAction: String, Sendable, CaseIterable, Codable {
    /// Roll the workload's pods: `restartedAt` on apps/v1 workloads, evictions for an InferenceService.
    case restart
    /// Start an ArgoCD sync operation on an Application.
    case sync
    /// Ask for a refresh: ArgoCD's refresh annotation, or `mlops.dev/refreshed-at` on other kinds.
    case refresh
}

/// One item of a job's `mlops.dev/on-success-trigger` annotation, after validation.
public struct Trigger: Sendable, Hashable, Codable {
    /// `v1` or `<group>/<version>`.
    public var apiVersion: String
    /// The target's kind, for example `Deployment`.
    public var kind: String
    /// The target's name.
    public var name: String
    /// The target's namespace as written; `nil` means the job's own namespace.
    public var namespace: String?
    /// What to do.
    public var action: TriggerAction

    /// Creates a trigger.
    public init(apiVersion: String, kind: String, name: String, namespace: String?, action: TriggerAction) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.action = action
    }
}
