public import Logging
import Kube
import Metrics
import Locking

/// Keeps `mlops.dev/notebook-status` and `mlops.dev/notebook-summary` (and `mlops.dev/notebook-trigger-failures` while
/// a trigger of a current run has failed) on each Argo CD Application that owns jobs (SPEC §7), from the job watch
/// cache, while this replica leads.
///
/// A change of a job marks its Application (and the one it left) dirty; a single loop then writes each dirty
/// Application with one merge patch, only when the annotations' value changes, and at most once per ``Settings/interval``
/// per Application, so a burst of job changes becomes one patch. When the last job goes, the keys are removed (`null`).
/// An Application that does not exist is logged at debug and not asked again until its jobs change; other failures
/// are retried after ``Settings/retryDelay``.
public final class ApplicationStatusPublisher: Sendable {
    /// Settings of the publisher.
    public struct Settings: Sendable {
        /// Where Applications named without a namespace live (`--argocd-namespace`).
        public var argocdNamespace: String
        /// The least time between two patches of one Application.
        public var interval: Duration
        /// How long to wait before writing again after a failed patch.
        public var retryDelay: Duration

        /// Creates settings.
        public init(argocdNamespace: String = "argocd", interval: Duration = .seconds(1), retryDelay: Duration = .seconds(10)) {
            self.argocdNamespace = argocdNamespace
            self.interval = interval
            self.retryDelay = retryDelay
        }
    }

    private struct State {
        /// The Application of each job that names one.
        var applicationOf: [String: ApplicationRef] = [:]
        /// The jobs of each Application.
        var jobsOf: [ApplicationRef: Set<String>] = [:]
        /// What was last written (`.some(nil)`: removed); no entry when it is not known.
        var written: [ApplicationRef: NotebookStatus?] = [:]
        /// Applications to look at.
        var dirty: Set<ApplicationRef> = []
        /// No patch of an Application before this time.
        var notBefore: [ApplicationRef: ContinuousClock.Instant] = [:]
        /// Between ``leadershipGained()`` and ``leadershipLost()``.
        var leading = false
    }

    private let api: any APITransport
    private let jobs: @Sendable (String) -> Job?
    private let settings: Settings
    private let logger: Logger
    private let state = Locked(State())
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// Creates a publisher.
    ///
    /// - Parameters:
    ///   - api: Where patches go.
    ///   - jobs: The job of a `namespace/name` key as the cache holds it, `nil` once deleted.
    ///   - settings: Argo CD namespace and timings.
    ///   - logger: Where failures are logged.
    public init(api: any APITransport, jobs: @escaping @Sendable (String) -> Job?, settings: Settings, logger: Logger) {
        self.api = api
        self.jobs = jobs
        self.settings = settings
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Notes that the job with this key was added, changed or deleted.
    public func jobChanged(_ key: String) {
        let application = jobs(key).flatMap { ApplicationRef(job: $0, defaultNamespace: settings.argocdNamespace) }
        state.withLock { state in
            if let old = state.applicationOf[key], old != application {
                state.jobsOf[old]?.remove(key)
                state.dirty.insert(old)
            }
            state.applicationOf[key] = application
            if let application {
                state.jobsOf[application, default: []].insert(key)
                state.dirty.insert(application)
            }
        }
        wake.yield()
    }

    /// Starts writing, once this replica leads and its cache has synced. What was written before is forgotten, so that a
    /// new leader writes every Application once: another replica may have led since.
    public func leadershipGained() {
        state.withLock { state in
            state.leading = true
            state.written = [:]
            state.dirty = Set(state.jobsOf.keys)
        }
        wake.yield()
    }

    /// Stops writing: another replica leads now.
    public func leadershipLost() {
        state.withLock { $0.leading = false }
    }

    /// Writes dirty Applications between ``leadershipGained()`` and ``leadershipLost()`` while `isLeader` also holds
    /// (the Lease as last renewed), until cancelled.
    public func run(isLeader: @escaping @Sendable () -> Bool) async {
        for await _ in wakes {
            while !Task.isCancelled, state.withLock({ $0.leading }), isLeader(), let wait = await publishDue() {
                try? await Task.sleep(for: wait)
            }
        }
    }

    /// Writes every dirty Application whose interval has passed; returns how long until the next one is due, or `nil`.
    private func publishDue() async -> Duration? {
        let now = ContinuousClock.now
        let (due, next): ([ApplicationRef], ContinuousClock.Instant?) = state.withLock { state in
            let due = state.dirty.filter { state.notBefore[$0].map { $0 <= now } ?? true }.sorted()
            state.dirty.subtract(due)
            return (due, state.dirty.compactMap { state.notBefore[$0] }.min())
        }
        for application in due {
            await publish(application)
        }
        return next.map { max(.zero, $0 - ContinuousClock.now) } ?? (due.isEmpty ? nil : .zero)
    }

    private func publish(_ application: ApplicationRef) async {
        let keys = state.withLock { $0.jobsOf[application] ?? [] }
        let desired = NotebookStatus(jobs: keys.compactMap(jobs))
        if state.withLock({ $0.written[application] }) == .some(desired) { return }
        let request = APIRequest.mergePatch(application.path, .object([("metadata", .object([("annotations", .object([
            (AnnotationKey.notebookStatus, desired.map { .string($0.state.rawValue) } ?? .null),
            (AnnotationKey.notebookSummary, desired.map { .string($0.summary) } ?? .null),
            (AnnotationKey.notebookTriggerFailures, desired?.triggerFailures.map { .string($0) } ?? .null),
        ]))]))]))
        let outcome: Result<APIResponse, any Error>
        do {
            outcome = .success(try await api.send(request))
        } catch {
            outcome = .failure(error)
        }
        let now = ContinuousClock.now
        switch outcome {
        case .success(let response) where response.isSuccess || response.status == 404:
            Self.count(response.isSuccess ? "written" : "missing")
            if response.status == 404 {
                logger.debug("no such Application; its notebook status is not written", metadata: ["application": "\(application)"])
            }
            state.withLock { state in
                state.written[application] = .some(desired)
                state.notBefore[application] = now + settings.interval
                if desired == nil, state.jobsOf[application]?.isEmpty ?? true {
                    state.jobsOf[application] = nil
                    state.written[application] = nil
                }
            }
        case .success(let response):
            retryLater(application, now: now, error: APIStatus.summary(of: response))
        case .failure(let error):
            retryLater(application, now: now, error: "\(error)")
        }
    }

    /// Counts one patch in `triggergate_application_status_writes_total{result}`.
    private static func count(_ result: String) {
        Counter(label: "triggergate_application_status_writes_total", dimensions: [("result", result)]).increment()
    }

    private func retryLater(_ application: ApplicationRef, now: ContinuousClock.Instant, error: String) {
        Self.count("error")
        logger.warning("cannot write an Application's notebook status; will retry", metadata: [
            "application": "\(application)", "error": "\(error)", "retryIn": "\(settings.retryDelay)",
        ])
        state.withLock { state in
            state.dirty.insert(application)
            state.notBefore[application] = now + settings.retryDelay
        }
    }
}
