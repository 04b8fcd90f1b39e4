public import Kube
/// The wave annotations of SPEC §1.3: set when a job finishes, removed when it runs again.
public enum Wave {
    /// The job's own wave: its `argocd.argoproj.io/sync-wave` as a decimal integer, `"0"` when absent or malformed.
    public static func of(_ job: Job) -> String {
        guard let text = job.annotation(AnnotationKey.syncWave), let wave = Int32(text) else { return "0" }
        return String(wave)
    }

    /// The run key of a finished job: `status.completionTime`; else the completion time recorded when the finish was
    /// first observed (so it survives restarts); else `now`, which the caller then records.
    public static func runKey(of job: Job, marker: String, now: Timestamp) -> String {
        if let completion = job.status?.completionTime, !completion.isEmpty { return completion }
        if job.annotation(marker) != nil, let recorded = job.annotation(AnnotationKey.completionTime) { return recorded }
        return now.description
    }

    /// The annotation changes that make a finished job's wave annotations current, or `[]` when they already are.
    ///
    /// - Parameters:
    ///   - job: A job whose phase is `Succeeded` (`marker` is `wave-complete`) or `Failed` (`marker` is `wave-failed`).
    ///   - marker: The key that marks this outcome.
    ///   - runKey: The completion time to record.
    public static func finishedChanges(of job: Job, marker: String, runKey: String) -> [(String, JSONValue)] {
        let other = marker == AnnotationKey.waveComplete ? AnnotationKey.waveFailed : AnnotationKey.waveComplete
        let current = job.annotation(marker) != nil && job.annotation(AnnotationKey.completionTime) == runKey
            && job.annotation(other) == nil && job.annotation(AnnotationKey.completionGeneration) != nil
        guard !current else { return [] }
        var changes: [(String, JSONValue)] = [
            (marker, .string(of(job))),
            (AnnotationKey.completionTime, .string(runKey)),
            (AnnotationKey.completionGeneration, .string(String(job.metadata.generation ?? 0))),
        ]
        if job.annotation(other) != nil { changes.append((other, .null)) }
        return changes
    }

    /// The changes that remove the wave annotations of a job that runs again, or `[]` when it has none.
    public static func clearChanges(of job: Job) -> [(String, JSONValue)] {
        AnnotationKey.wave.filter { job.annotation($0) != nil }.map { ($0, .null) }
    }
}
