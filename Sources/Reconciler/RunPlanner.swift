public import Kube
public import Admission

/// A job's trigger annotation, as the reconciler sees it.
public enum ParsedTriggers: Sendable, Hashable {
    /// The job has no `mlops.dev/on-success-trigger`.
    case none
    /// The triggers, in order.
    case valid([Trigger])
    /// The annotation cannot be used; the message says why.
    case invalid(String)

    /// Reads `job`'s trigger annotation with the admission rules, so the reconciler refuses exactly what admission refuses.
    public init(of job: Job) {
        guard let value = job.annotation(AnnotationKey.onSuccessTrigger) else {
            self = .none
            return
        }
        do {
            self = .valid(try Trigger.parseList(annotationValue: value, owner: TriggerOwner(namespace: job.metadata.namespace, name: job.metadata.name)))
        } catch {
            self = .invalid(error.description)
        }
    }
}

/// What the reconciler does next for one job: the pure decision, from the job as read (SPEC §1.3, §5).
public enum NextStep: Sendable, Equatable {
    /// Why a patch is written.
    public enum Reason: Sendable, Equatable {
        /// The job runs (again): its wave annotations go.
        case clearWave
        /// The job finished: its wave annotations are set (and, for a success, maybe a new run begins).
        case finish(TriggerStatus?)
        /// The attempts of the triggers at these indices are recorded before they are made.
        case recordAttempts([Int])
    }

    /// Nothing to do until the job changes.
    case idle
    /// Merge-patch the job with this body (guarded by its resourceVersion), then decide again.
    case patch(JSONValue, Reason)
    /// Perform the triggers at these indices of `status` (every unfinished one), together; their attempts are already recorded.
    case perform([Int], TriggerStatus)
}

/// Decides the next step for a job.
public enum RunPlanner {
    /// The next step for `job`.
    ///
    /// - Parameters:
    ///   - job: The job as last read.
    ///   - triggers: Its trigger annotation, parsed.
    ///   - now: The current time, recorded as the run key, run start or attempt time when one is needed.
    public static func next(job: Job, triggers: ParsedTriggers, now: Timestamp) -> NextStep {
        guard job.metadata.deletionTimestamp == nil else { return .idle }
        switch job.phase {
        case "Succeeded":
            return succeeded(job, triggers: triggers, now: now)
        case "Failed":
            let runKey = Wave.runKey(of: job, marker: AnnotationKey.waveFailed, now: now)
            let changes = Wave.finishedChanges(of: job, marker: AnnotationKey.waveFailed, runKey: runKey)
            return changes.isEmpty ? .idle : .patch(JobPatch.annotations(resourceVersion: job.metadata.resourceVersion, changes), .finish(nil))
        default:
            let changes = Wave.clearChanges(of: job)
            return changes.isEmpty ? .idle : .patch(JobPatch.annotations(resourceVersion: job.metadata.resourceVersion, changes), .clearWave)
        }
    }

    private static func succeeded(_ job: Job, triggers: ParsedTriggers, now: Timestamp) -> NextStep {
        let runKey = Wave.runKey(of: job, marker: AnnotationKey.waveComplete, now: now)
        var changes = Wave.finishedChanges(of: job, marker: AnnotationKey.waveComplete, runKey: runKey)
        let recorded = TriggerStatus(annotation: job.annotation(AnnotationKey.triggerStatus))
        var begun: TriggerStatus?
        if recorded?.run != runKey, let fresh = begin(run: runKey, job: job, triggers: triggers, now: start(after: recorded, now: now)) {
            begun = fresh
            changes.append((AnnotationKey.triggerStatus, .string(fresh.annotation)))
        }
        if !changes.isEmpty {
            return .patch(JobPatch.annotations(resourceVersion: job.metadata.resourceVersion, changes), .finish(begun))
        }
        guard var status = recorded else { return .idle }
        let unfinished = status.triggers.indices.filter { !status.triggers[$0].state.isFinal }
        guard !unfinished.isEmpty else { return .idle }
        let unrecorded = unfinished.filter { status.triggers[$0].attempts == 0 }
        if !unrecorded.isEmpty {
            for index in unrecorded { status.recordAttempt(index, now: now) }
            return .patch(JobPatch.status(status, of: job), .recordAttempts(unrecorded))
        }
        return .perform(unfinished, status)
    }

    /// When a new run starts: `now`, or one second after the latest attempt time of the run before when that is not
    /// earlier. A run's `restartedAt` and `refreshed-at` values are its attempt times, which are never earlier than its
    /// start, so a job that succeeds again within the second of its last run's attempts still writes new values (the
    /// same value again would change nothing, and the workload would not restart).
    static func start(after previous: TriggerStatus?, now: Timestamp) -> Timestamp {
        guard let latest = previous?.triggers.compactMap({ $0.at.flatMap(Timestamp.init(rfc3339:)) }).max(), latest >= now else { return now }
        return Timestamp(seconds: latest.seconds + 1)
    }

    /// The status of a new run, or `nil` when the job has no trigger annotation.
    static func begin(run: String, job: Job, triggers: ParsedTriggers, now: Timestamp) -> TriggerStatus? {
        switch triggers {
        case .none:
            return nil
        case .invalid(let message):
            return TriggerStatus(run: run, started: now.description, message: message, triggers: [])
        case .valid(let list):
            let entries = list.map {
                TriggerStatus.Entry(target: TriggerTarget($0, jobNamespace: job.metadata.namespace).description, action: $0.action)
            }
            var status = TriggerStatus(run: run, started: now.description, triggers: entries)
            // Every trigger's first attempt is recorded in the same write that begins the run: they are made together.
            for index in entries.indices { status.recordAttempt(index, now: now) }
            return status
        }
    }
}

extension TriggerStatus {
    /// Records one more attempt of the trigger at `index`, still `Pending`; the first one also records `at`: `now`, or
    /// the run's start when that is later (see ``RunPlanner/start(after:now:)``).
    public mutating func recordAttempt(_ index: Int, now: Timestamp, message: String? = nil) {
        triggers[index].attempts += 1
        if triggers[index].at == nil { triggers[index].at = max(now, started.flatMap(Timestamp.init(rfc3339:)) ?? now).description }
        if let message { triggers[index].message = message }
    }

    /// Records the final outcome of the trigger at `index`.
    public mutating func recordResult(_ index: Int, state: State, message: String) {
        triggers[index].state = state
        triggers[index].message = message
    }
}

extension TriggerStatus.Entry {
    /// The trigger this entry stands for, read back from its `target`; `nil` when the target is not of our making.
    public var trigger: Trigger? {
        let parts = target.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4 || parts.count == 5, !parts.contains("") else { return nil }
        let apiVersion = parts.count == 5 ? parts[0] + "/" + parts[1] : parts[0]
        let rest = parts.suffix(3)
        return Trigger(apiVersion: apiVersion, kind: rest[rest.startIndex], name: rest[rest.startIndex + 2], namespace: rest[rest.startIndex + 1], action: action)
    }
}
