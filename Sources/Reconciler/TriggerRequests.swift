public import Admission
public import Kube

/// The exact requests each action sends (SPEC §1.1), built without I/O.
public enum TriggerRequests {
    /// `restart` of an apps/v1 workload: the pod template's `restartedAt`, as `kubectl rollout restart` writes it.
    public static func restartWorkload(_ target: TriggerTarget, plural: String, restartedAt: String) -> APIRequest {
        .mergePatch(
            target.path(plural: plural),
            .object([("spec", .object([("template", .object([("metadata", .object([("annotations", .object([
                (AnnotationKey.restartedAt, .string(restartedAt)),
            ]))]))]))]))])
        )
    }

    /// Lists the pods of an InferenceService by its label.
    public static func listInferenceServicePods(_ target: TriggerTarget) -> APIRequest {
        let selector = "\(AnnotationKey.inferenceServiceLabel)=\(target.trigger.name)"
        return .get("/api/v1/namespaces/\(target.namespace)/pods?labelSelector=\(PathEscaping.escape(selector))")
    }

    /// Evicts one pod, with the Eviction group/version that discovery lists for `pods/eviction`.
    public static func evict(pod: String, namespace: String, evictionGroupVersion: String) -> APIRequest {
        .post(
            "/api/v1/namespaces/\(namespace)/pods/\(pod)/eviction",
            .object([
                ("apiVersion", .string(evictionGroupVersion)), ("kind", .string("Eviction")),
                ("metadata", .object([("name", .string(pod)), ("namespace", .string(namespace))])),
            ])
        )
    }

    /// Reads an ArgoCD Application before a sync.
    public static func getApplication(_ target: TriggerTarget) -> APIRequest {
        .get(target.path(plural: "applications"))
    }

    /// `sync`: sets the Application's `operation`, tagged with the run, guarded by the version read.
    public static func sync(_ target: TriggerTarget, run: String, resourceVersion: String) -> APIRequest {
        .mergePatch(
            target.path(plural: "applications"),
            .object([
                ("metadata", .object([("resourceVersion", .string(resourceVersion))])),
                ("operation", syncOperation(run: run)),
            ])
        )
    }

    /// The `operation` a sync sets.
    public static func syncOperation(run: String) -> JSONValue {
        .object([
            ("initiatedBy", .object([("username", .string("triggergate"))])),
            ("info", .array([.object([("name", .string(SyncTag.name)), ("value", .string(run))])])),
            ("sync", .object([("syncStrategy", .object([("hook", .object([]))]))])),
        ])
    }

    /// `refresh` of an ArgoCD Application: its refresh annotation.
    public static func refreshApplication(_ target: TriggerTarget) -> APIRequest {
        .mergePatch(target.path(plural: "applications"), annotation(AnnotationKey.argoRefresh, "normal"))
    }

    /// `refresh` of any other kind: `mlops.dev/refreshed-at`, at the path discovery gave.
    public static func refresh(_ target: TriggerTarget, plural: String, namespaced: Bool, refreshedAt: String) -> APIRequest {
        .mergePatch(target.path(plural: plural, namespaced: namespaced), annotation(AnnotationKey.refreshedAt, refreshedAt))
    }

    /// Discovery of a group/version: `/api/v1` or `/apis/<group>/<version>`.
    public static func discovery(_ groupVersionPath: String) -> APIRequest { .get(groupVersionPath) }

    /// Reads a namespace, for its `mlops.dev/trigger-sources` consent.
    public static func getNamespace(_ name: String) -> APIRequest { .get("/api/v1/namespaces/\(name)") }

    /// Merge-patches a job (see ``JobPatch``).
    public static func patchJob(namespace: String, name: String, _ body: JSONValue) -> APIRequest {
        .mergePatch("/apis/mlops.mlops.dev/v1alpha1/namespaces/\(namespace)/notebookvalidationjobs/\(name)", body)
    }

    /// Reads a job.
    public static func getJob(namespace: String, name: String) -> APIRequest {
        .get("/apis/mlops.mlops.dev/v1alpha1/namespaces/\(namespace)/notebookvalidationjobs/\(name)")
    }

    private static func annotation(_ key: String, _ value: String) -> JSONValue {
        .object([("metadata", .object([("annotations", .object([(key, .string(value))]))]))])
    }
}

/// The tag a sync puts in `operation.info`, so that a retry can tell its own operation from someone else's.
public enum SyncTag {
    /// The `name` of the info item; its `value` is the run.
    public static let name = "triggergate-run"
}
