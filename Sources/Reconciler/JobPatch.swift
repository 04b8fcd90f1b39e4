public import Kube
/// Merge patches of a job's annotations, guarded by the `metadata.resourceVersion` that was read (SPEC §5).
public enum JobPatch {
    /// `{"metadata":{"resourceVersion":…,"annotations":{…}}}`; a `.null` value deletes its key.
    ///
    /// - Parameters:
    ///   - resourceVersion: The version the decision was made from; the API server answers 409 when the job changed since.
    ///   - annotations: The keys to set or (with `.null`) remove, in order.
    public static func annotations(resourceVersion: String?, _ annotations: [(String, JSONValue)]) -> JSONValue {
        var metadata: [(String, JSONValue)] = []
        if let resourceVersion { metadata.append(("resourceVersion", .string(resourceVersion))) }
        metadata.append(("annotations", .object(annotations)))
        return .object([("metadata", .object(metadata))])
    }

    /// Sets `mlops.dev/trigger-status` to `status`.
    public static func status(_ status: TriggerStatus, of job: Job) -> JSONValue {
        annotations(resourceVersion: job.metadata.resourceVersion, [(AnnotationKey.triggerStatus, .string(status.annotation))])
    }
}
