/// What admission may read of the cluster (SPEC §3, §4): a small read-only view that the `triggergate` command
/// implements over the reconciler's watch caches, discovery and the Kube client. Without a cluster there is none, and
/// the checks that need it are skipped. The decisions themselves stay pure functions over what it answers.
public protocol ClusterView: Sendable {
    /// The `mlops.dev/trigger-sources` annotation of a namespace, from the namespace watch cache (no API call).
    func triggerSources(ofNamespace namespace: String) -> CacheLookup<String?>

    /// The plural resource name the cluster serves for a target's kind, from discovery (cached; no API call on a hit).
    /// - Returns: `.known(nil)` when the cluster does not serve the kind (or its group/version), `.unsynced` when
    ///   discovery could not be asked.
    func resource(of target: TriggerTarget) async -> CacheLookup<String?>

    /// Asks the API server whether `user` may do `check` (a SubjectAccessReview).
    /// - Throws: when the API server cannot answer; the caller denies (fail closed).
    func review(_ check: AccessCheck, user: UserInfo) async throws -> Bool

    /// Whether the target of a trigger exists now (a GET), `nil` when that cannot be told (no rights, no answer).
    func exists(_ target: TriggerTarget, resource: String) async -> Bool?

    /// The jobs with a well-formed `mlops.dev/block-wave` in a namespace, from the job watch cache (no API call).
    func blockingJobs(inNamespace namespace: String) -> CacheLookup<[GateJob]>

    /// Told when the wave gate refused an object, so that the refusal becomes an Event on each blocking job. It must
    /// return at once: the Event is written off the admission request's path.
    func gateBlocked(_ block: GateBlock)
}

extension ClusterView {
    /// Nothing is told by default (tests, benchmarks).
    public func gateBlocked(_ block: GateBlock) {}
}

/// An answer from a cache that may not have been filled yet.
public enum CacheLookup<Value: Sendable>: Sendable {
    /// The cache has not completed its first list: nothing can be said yet.
    case unsynced
    /// What the cache holds.
    case known(Value)
}

extension CacheLookup: Equatable where Value: Equatable {}
