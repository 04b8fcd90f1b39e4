import Admission

/// The annotation keys the reconciler reads and writes (SPEC §1.3, §4).
public enum AnnotationKey {
    /// The user's trigger list.
    public static let onSuccessTrigger = AnnotationKeys.trigger
    /// Set to the job's wave when it succeeded.
    public static let waveComplete = AnnotationKeys.waveComplete
    /// Set to the job's wave when it failed.
    public static let waveFailed = AnnotationKeys.waveFailed
    /// `status.completionTime`, or the time the finish was first observed.
    public static let completionTime = AnnotationKeys.completionTime
    /// `metadata.generation` when the job finished.
    public static let completionGeneration = AnnotationKeys.completionGeneration
    /// The progress of the current run's triggers.
    public static let triggerStatus = AnnotationKeys.triggerStatus
    /// On a namespace: the namespaces whose jobs may trigger resources in it (comma list, or `*`).
    public static let triggerSources = AnnotationKeys.triggerSources
    /// The job's ArgoCD sync wave.
    public static let syncWave = AnnotationKeys.syncWave
    /// What `refresh` writes on kinds other than an ArgoCD Application.
    public static let refreshedAt = AnnotationKeys.refreshedAt
    /// What `refresh` writes on an ArgoCD Application.
    public static let argoRefresh = "argocd.argoproj.io/refresh"
    /// What `restart` writes into a workload's pod template, as `kubectl rollout restart` does.
    public static let restartedAt = "kubectl.kubernetes.io/restartedAt"
    /// On an Argo CD Application: `Failed`, `Running` or `Succeeded`, from its jobs (SPEC §7).
    public static let notebookStatus = "mlops.dev/notebook-status"
    /// On an Argo CD Application: one line on its jobs, naming the failed ones and their first failing cell.
    public static let notebookSummary = "mlops.dev/notebook-summary"
    /// On an Argo CD Application: the failed triggers of its jobs' current runs, absent when none failed.
    public static let notebookTriggerFailures = "mlops.dev/notebook-trigger-failures"
    /// The label that ties pods to their InferenceService.
    public static let inferenceServiceLabel = "serving.kserve.io/inferenceservice"

    /// The keys that mark a finished job; removed when it runs again.
    public static let wave = [waveComplete, waveFailed, completionTime, completionGeneration]
}
