import Kube
public import Logging

/// Drives one job through ``RunPlanner``'s steps: patches the job, performs triggers, records results, writes Events.
///
/// Every write of the job is a merge patch guarded by the resourceVersion it was decided from; on a 409 the job is read
/// again and the decision made again, so two writers never overwrite each other.
public struct TriggerRunner: Sendable {
    /// What the caller does after ``reconcile(_:)``.
    public enum Result: Sendable, Equatable {
        /// Nothing more to do until the job changes.
        case done
        /// Call again after this delay (a trigger waits for a retry, or the API failed).
        case retry(after: Duration)
    }

    /// Settings of a runner.
    public struct Settings: Sendable {
        /// How long a trigger keeps retrying temporary errors, counted from its first attempt.
        public var deadline: Duration
        /// The backoff between attempts.
        public var backoff: Backoff
        /// The Events' `reportingInstance` (the pod name).
        public var instance: String

        /// Creates settings.
        public init(deadline: Duration = .seconds(600), backoff: Backoff = Backoff(base: .milliseconds(500), cap: .seconds(30)), instance: String) {
            self.deadline = deadline
            self.backoff = backoff
            self.instance = instance
        }
    }

    let api: any APITransport
    private let performer: TriggerPerformer
    let settings: Settings
    /// Writes the Events, counting repeats.
    let events: EventRecorder
    private let metrics: TriggerMetrics
    private let runClock: RunClock
    let logger: Logger
    /// Holds back repeats of one Event-writing failure for a minute.
    let eventWarnings = WarningLimiter()

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - api: Where requests go.
    ///   - settings: Deadline, backoff, Event instance.
    ///   - logger: Where decisions are logged.
    public init(api: any APITransport, settings: Settings, logger: Logger) {
        self.api = api
        self.performer = TriggerPerformer(api: api, discovery: DiscoveryCache(api: api))
        self.settings = settings
        self.events = EventRecorder(api: api, instance: settings.instance)
        self.metrics = TriggerMetrics()
        self.runClock = RunClock()
        self.logger = logger
    }

    /// An Event to write once the step that caused it is recorded.
    private struct PendingEvent: Sendable {
        var job: Job
        var reason: EventBody.Reason
        var message: String
    }

    /// Works on `job` until nothing is left to do now. Events are written at the end, together, so that they never
    /// delay the next action.
    public func reconcile(_ start: Job) async -> Result {
        var events: [PendingEvent] = []
        let result = await steps(start, events: &events)
        await withDiscardingTaskGroup { group in
            for pending in events {
                group.addTask { await self.event(pending.job, pending.reason, pending.message) }
            }
        }
        return result
    }

    private func steps(_ start: Job, events: inout [PendingEvent]) async -> Result {
        var job = start
        let observed = ContinuousClock.now
        // An action is performed only from a job this call has just read or written, never from a cached copy that
        // may predate the last recorded result.
        var fresh = false
        for _ in 0..<Self.stepLimit {
            switch RunPlanner.next(job: job, triggers: ParsedTriggers(of: job), now: .now()) {
            case .idle:
                return .done
            case .patch(let body, let reason):
                switch await patch(job, body) {
                case .written(let written):
                    job = written
                    fresh = true
                    await afterPatch(reason, job: job, observed: observed, events: &events)
                case .reread(let read):
                    job = read
                    fresh = true
                case .gone:
                    return .done
                case .failed:
                    return .retry(after: settings.backoff.delay(after: 1))
                }
            case .perform where !fresh:
                switch await reread(job) {
                case .reread(let read):
                    job = read
                    fresh = true
                case .gone, .written:
                    return .done
                case .failed:
                    return .retry(after: settings.backoff.delay(after: 1))
                }
            case .perform(let indices, let status):
                let (written, delay) = await perform(indices, status: status, job: job, events: &events)
                if let delay { return .retry(after: delay) }
                guard let written else { return .done }
                job = written
            }
        }
        logger.error("job needed more steps than a run can take; trying again later", metadata: ["job": "\(job.key)", "steps": "\(Self.stepLimit)"])
        return .retry(after: settings.backoff.delay(after: 5))
    }

    /// More steps than any run needs (a few per trigger, at most 16 triggers): a bound against a livelock.
    static let stepLimit = 128

    /// Result of a job patch.
    private enum PatchResult {
        case written(Job)
        case reread(Job)
        case gone
        case failed

        /// The job as it now is, when known.
        var job: Job? {
            switch self {
            case .written(let job), .reread(let job): return job
            case .gone, .failed: return nil
            }
        }
    }

    private func patch(_ job: Job, _ body: JSONValue) async -> PatchResult {
        let request = TriggerRequests.patchJob(namespace: job.metadata.namespace, name: job.metadata.name, body)
        do {
            let response = try await api.send(request)
            if response.isSuccess, let written = Job(body: response.body) { return .written(written) }
            if response.status == 404 { return .gone }
            if response.status == 409 { return await reread(job) }
            logger.warning("cannot patch job", metadata: ["job": "\(job.key)", "error": "\(APIStatus.summary(of: response))"])
        } catch {
            logger.warning("cannot patch job", metadata: ["job": "\(job.key)", "error": "\(error)"])
        }
        return .failed
    }

    private func reread(_ job: Job) async -> PatchResult {
        guard let response = try? await api.send(TriggerRequests.getJob(namespace: job.metadata.namespace, name: job.metadata.name)) else { return .failed }
        if response.status == 404 { return .gone }
        guard response.isSuccess, let fresh = Job(body: response.body) else { return .failed }
        return .reread(fresh)
    }

    private func afterPatch(_ reason: NextStep.Reason, job: Job, observed: ContinuousClock.Instant, events: inout [PendingEvent]) async {
        switch reason {
        case .finish(let begun):
            events.append(Self.waveEvent(job))
            guard let begun else { break }
            await runClock.begin(job.key, run: begun.run, observed: observed)
            if let problem = begun.message {
                metrics.finished("annotation", succeeded: false)
                events.append(PendingEvent(job: job, reason: .TriggerFailed, message: "no trigger ran: \(AnnotationKey.onSuccessTrigger) is invalid: \(problem)"))
            }
            if begun.triggers.contains(where: { $0.attempts > 0 }) { TestingHook.reach(.afterRecord) }
        case .recordAttempts:
            TestingHook.reach(.afterRecord)
        case .clearWave:
            break
        }
    }

    /// `WaveComplete` or `WaveFailed` for a job whose wave annotations were just written, naming the job and its wave.
    private static func waveEvent(_ job: Job) -> PendingEvent {
        if let wave = job.annotation(AnnotationKey.waveComplete) {
            return PendingEvent(job: job, reason: .WaveComplete, message: "NotebookValidationJob \(job.key) succeeded: wave \(wave) is complete")
        }
        let wave = job.annotation(AnnotationKey.waveFailed) ?? Wave.of(job)
        return PendingEvent(job: job, reason: .WaveFailed, message: "NotebookValidationJob \(NotebookStatus.describe(job)) failed: wave \(wave) failed")
    }

    /// Performs one attempt of each trigger at `indices` and records their outcomes in one write. Returns the job to
    /// decide from next (`nil` when it is gone), and the delay before the next attempts when a trigger waits for a retry.
    private func perform(_ indices: [Int], status: TriggerStatus, job: Job, events: inout [PendingEvent]) async -> (Job?, Duration?) {
        var next = status
        var delay: Duration?
        for (index, outcome) in await attempts(indices, of: status, job: job) {
            let entry = status.triggers[index]
            switch outcome {
            case .succeeded(let message):
                next.recordResult(index, state: .Succeeded, message: message)
            case .failed(let message):
                next.recordResult(index, state: .Failed, message: message)
            case .retry(let message, let asked):
                let firstAttempt = entry.at.flatMap(Timestamp.init(rfc3339:)) ?? .now()
                if Timestamp.now().seconds - firstAttempt.seconds >= settings.deadline.components.seconds {
                    next.recordResult(index, state: .Failed, message: "gave up after \(entry.attempts) attempt(s) in \(settings.deadline): \(message)")
                } else {
                    metrics.retried(entry.action.rawValue)
                    logger.info("trigger will be retried", metadata: ["job": "\(job.key)", "attempt": "\(entry.attempts)", "error": "\(message)"])
                    next.recordAttempt(index, now: .now(), message: message)
                    delay = max(delay ?? .zero, settings.backoff.delay(after: entry.attempts), asked ?? .zero)
                }
            }
        }
        guard let written = await writeStatus(job, from: status, to: next) else { return (await reread(job).job, nil) }
        for index in indices where next.triggers[index].state.isFinal {
            let final = next.triggers[index]
            metrics.finished(final.action.rawValue, succeeded: final.state == .Succeeded)
            let message = final.message ?? ""
            logger.info("trigger finished", metadata: ["job": "\(job.key)", "state": "\(final.state.rawValue)", "message": "\(message)"])
            events.append(PendingEvent(job: written, reason: final.state == .Succeeded ? .TriggerSucceeded : .TriggerFailed, message: message))
        }
        if next.isFinished, let latency = await runClock.end(job.key, run: next.run) { metrics.runLatency(latency) }
        return (written, delay)
    }

    /// One attempt of each trigger at `indices`, in index order. Triggers on different targets are made at once; those on
    /// one target one after another, in the annotation's order, and after one that waits for a retry the rest of its
    /// target wait with it (their recorded attempt is made next time).
    private func attempts(_ indices: [Int], of status: TriggerStatus, job: Job) async -> [(Int, ActionOutcome)] {
        let byTarget = Dictionary(grouping: indices) { status.triggers[$0].target }.values
        let made = await withTaskGroup(of: [(Int, ActionOutcome)].self) { group in
            for chain in byTarget {
                group.addTask {
                    var made: [(Int, ActionOutcome)] = []
                    for index in chain {
                        let outcome = await performer.perform(index, of: status, job: job)
                        TestingHook.reach(.afterAction)
                        made.append((index, outcome))
                        if case .retry = outcome { break }
                    }
                    return made
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        return made.sorted { $0.0 < $1.0 }
    }

    /// Writes `next` over `previous`, reading the job again after a 409 as long as nobody else changed the status.
    /// Returns the job written, or `nil` when the status moved on and the step must be decided again.
    private func writeStatus(_ job: Job, from previous: TriggerStatus, to next: TriggerStatus) async -> Job? {
        var current = job
        for _ in 0..<5 {
            switch await patch(current, JobPatch.status(next, of: current)) {
            case .written(let written):
                return written
            case .reread(let fresh):
                guard TriggerStatus(annotation: fresh.annotation(AnnotationKey.triggerStatus)) == previous else { return nil }
                current = fresh
            case .gone:
                return nil
            case .failed:
                try? await Task.sleep(for: settings.backoff.delay(after: 1))
            }
        }
        return nil
    }
}
