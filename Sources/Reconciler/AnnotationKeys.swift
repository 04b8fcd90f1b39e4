import Admission

/// The annotation keys the reconciler reads and writes (SPEC §1.3, §4).
public enum AnnotationKey {
    /// The user's trigger list.
    public static let onSuccessTrigger = AnnotationKeys.trigger
    /// Set to the job's wave when it succeeded.
    public static let waveComplete = "mlops.dev/wave-complete"
    /// Set to the job's wave when it failed.
    public static let waveFailed = "mlops.dev/wave-failed"
    /// `status.completionTime`, or the time the finish was first observed.
    public static let completionTime = "mlops.dev/completion-time"
    /// `metadata.generation` when the job finished.
    public static let completionGeneration = "mlops.dev/completion-generation"
    /// The progress of the current run's triggers.
    public static let triggerStatus = "mlops.dev/trigger-status"
    /// On a namespace: the namespaces whose jobs may trigger resources in it (comma list, or `*`).
    public static let triggerSources = "mlops.dev/trigger-sources"
    /// The job's ArgoCD sync wave.
    public static let syncWave = AnnotationKeys.syncWave
    /// What `refresh` writes on kinds other than an ArgoCD Application.
    public static let refreshedAt = "mlops.dev/refreshed-at"
    /// What `refresh` writes on an ArgoCD Application.
    public static let argoRefresh = "argocd.argoproj.io/refresh"
    /// What `restart` writes into a workload's pod template, as `kubectl rollout restart` does.
    public static let restartedAt = "kubectl.kubernetes.io/restartedAt"
    /// The label that ties pods to their InferenceService.
    public static let inferenceServiceLabel = "serving.kserve.io/inferenceservice"

    /// The keys that mark a finished job; removed when it runs again.
    public static let wave = [waveComplete, waveFailed, completionTime, completionGeneration]
}
