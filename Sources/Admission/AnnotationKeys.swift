/// The annotation keys triggergate reads and writes (SPEC §1).
public enum AnnotationKeys {
    /// The user's trigger list.
    public static let trigger = "mlops.dev/on-success-trigger"
    /// The wave this job blocks.
    public static let blockWave = "mlops.dev/block-wave"
    /// ArgoCD's sync wave of the job.
    public static let syncWave = "argocd.argoproj.io/sync-wave"
    /// ArgoCD's annotation tracking method: `<application>:<group>/<kind>:<namespace>/<name>`.
    public static let trackingID = "argocd.argoproj.io/tracking-id"
    /// The label ArgoCD's default tracking method sets to the application's name.
    public static let instanceLabel = "app.kubernetes.io/instance"
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
    /// What `refresh` writes on kinds other than an ArgoCD Application.
    public static let refreshedAt = "mlops.dev/refreshed-at"
    /// The keys only triggergate (or an allowed writer) may add, change or remove (SPEC §1.3).
    public static let controllerOwned = [waveComplete, waveFailed, completionTime, completionGeneration, triggerStatus]
    /// Every `mlops.dev/` key triggergate knows, including those it reads on namespaces and writes on targets.
    static let known = [trigger, blockWave] + controllerOwned + [triggerSources, refreshedAt]

    /// The message path of an annotation: `metadata.annotations[key]`.
    static func path(_ key: String) -> String { pathPrefix + key + "]" }

    /// The annotation key a message path names: `mlops.dev/block-wave` for `metadata.annotations[mlops.dev/block-wave]…`.
    static func key(ofPath path: String) -> Substring { path.dropFirst(pathPrefix.count).prefix { $0 != "]" } }

    private static let pathPrefix = "metadata.annotations["

    /// Whether a key matters to the rules: a `mlops.dev/` key, the sync wave, or a key whose name part could be a
    /// misspelt trigger or block-wave key. Others are not read at all.
    static func isRelevant(_ key: String) -> Bool {
        key.utf8.withContiguousStorageIfAvailable { isRelevant(utf8: $0) } ?? isRelevant(utf8: key.utf8)
    }

    /// ``isRelevant(_:)`` on a key's UTF-8 bytes, so that a reader need not make a `String` of every key.
    static func isRelevant(utf8 key: some BidirectionalCollection<UInt8>) -> Bool {
        let prefix: StaticString = "mlops.dev/"
        if prefix.withUTF8Buffer({ key.starts(with: $0) }) { return true }
        if key.count == syncWave.utf8.count, key.elementsEqual(syncWave.utf8) { return true }
        guard let slash = key.lastIndex(of: UInt8(ascii: "/")) else { return false }
        let nameLength = key.distance(from: slash, to: key.endIndex) - 1
        return (17...19).contains(nameLength) || (9...11).contains(nameLength)
    }

    /// A did-you-mean warning for a key that looks like a misspelt triggergate key, or `nil`.
    static func misspellingWarning(for key: String) -> String? {
        guard isRelevant(key), key != syncWave, !known.contains(key) else { return nil }
        let suggestion: String?
        if key.hasPrefix("mlops.dev/") {
            suggestion = nearest(to: key, in: known, maxDistance: 3)
        } else if let slash = key.lastIndex(of: "/") {
            let name = key[key.index(after: slash)...]
            suggestion = [trigger, blockWave].first { nearest(to: String(name), in: [String($0.dropFirst(10))], maxDistance: 1) != nil }
        } else {
            suggestion = nil
        }
        return suggestion.map { boundedWarning("unknown annotation \(key): did you mean \($0)?") }
    }
}
