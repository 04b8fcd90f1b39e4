/// The action/target matrix of SPEC §1.1.
enum TriggerTargets {
    /// The apps/v1 workloads a `restart` patches.
    static let restartWorkloads = ["Deployment", "StatefulSet", "DaemonSet"]
    /// The human list of supported targets for an action, as messages print it.
    static func supportedList(for action: TriggerAction) -> String {
        switch action {
        case .restart: "apps/v1 Deployment, StatefulSet, DaemonSet; serving.kserve.io/v1beta1 InferenceService"
        case .sync: "argoproj.io/v1alpha1 Application"
        case .refresh: "any kind"
        }
    }

    /// Whether `action` may target `apiVersion` `kind`.
    static func supports(_ action: TriggerAction, apiVersion: String, kind: String) -> Bool {
        switch action {
        case .restart:
            (apiVersion == "apps/v1" && restartWorkloads.contains(kind))
                || (apiVersion == "serving.kserve.io/v1beta1" && kind == "InferenceService")
        case .sync:
            apiVersion == "argoproj.io/v1alpha1" && kind == "Application"
        case .refresh:
            true
        }
    }
}
