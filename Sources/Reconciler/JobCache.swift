public import Admission
public import Kube
public import Logging
import Metrics
import Locking

/// Every replica's cache of NotebookValidationJobs (SPEC §5): list, then watch from the list's resourceVersion, with
/// bookmarks; a fresh list after `410 Gone`; reconnection with jittered exponential backoff.
///
/// ``isSynced`` turns true once every configured scope has been listed; it is logged and exported as the gauge
/// `triggergate_watch_synced`, and it is not part of `/readyz`. `triggergate_watch_objects` counts the jobs held. Changed keys (`namespace/name`) arrive on ``changes``.
public final class JobCache: Sendable {
    private struct State {
        var jobs: [String: Job] = [:]
        var syncedScopes: Set<String> = []
        /// The index the wave gate reads: namespace → job key → the job's gate entry, for the jobs with a well-formed block-wave.
        var blocking: [String: [String: GateJob]] = [:]

        mutating func set(_ key: String, _ job: Job?, gate: GateJob?, namespace: String) {
            jobs[key] = job
            blocking[namespace, default: [:]][key] = gate
            if blocking[namespace]?.isEmpty == true { blocking.removeValue(forKey: namespace) }
        }
    }

    private let client: KubeClient
    private let scopes: [String?]
    private let logger: Logger
    private let watchTimeout: Int
    private let state = Locked(State())
    private let objects = Gauge(label: "triggergate_watch_objects", dimensions: [("resource", "notebookvalidationjobs")])
    private let continuation: AsyncStream<String>.Continuation
    /// The keys of jobs that were added, changed or deleted, in order. One consumer reads it.
    public let changes: AsyncStream<String>

    /// Creates a cache.
    ///
    /// - Parameters:
    ///   - client: The API client.
    ///   - namespaces: The namespaces to watch; empty watches all namespaces.
    ///   - watchTimeout: The `timeoutSeconds` of each watch request.
    ///   - logger: Where sync and restarts are logged.
    public init(client: KubeClient, namespaces: [String], watchTimeout: Int = 300, logger: Logger) {
        self.client = client
        self.scopes = namespaces.isEmpty ? [nil] : namespaces.map(Optional.some)
        self.watchTimeout = watchTimeout
        self.logger = logger
        (changes, continuation) = AsyncStream.makeStream(of: String.self)
        Gauge(label: "triggergate_watch_synced", dimensions: [("resource", "notebookvalidationjobs")]).record(0)
    }

    /// Whether every scope has been listed at least once.
    public var isSynced: Bool { state.withLock { $0.syncedScopes.count == scopes.count } }

    /// The job with this `namespace/name` key, as last seen.
    public func job(_ key: String) -> Job? { state.withLock { $0.jobs[key] } }

    /// The jobs of `namespace` that block a wave, for the wave gate: a dictionary look-up, whatever the number of jobs elsewhere.
    public func blockingJobs(inNamespace namespace: String) -> [GateJob] {
        state.withLock { $0.blocking[namespace].map { Array($0.values) } ?? [] }
    }

    /// The keys of every job in the cache.
    public var keys: [String] { state.withLock { Array($0.jobs.keys) } }

    /// Lists and watches until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for scope in scopes {
                group.addTask { await self.watch(scope) }
            }
        }
        continuation.finish()
    }

    private func watch(_ scope: String?) async {
        let loop = ListWatch(client: client, resource: .notebookValidationJobs, namespace: scope, watchTimeout: watchTimeout, logger: logger)
        await loop.run(ListWatch.Sink(
            replace: { [self] items in replace(scope, with: items) },
            apply: { [self] event in apply(event) },
            listed: { [self] in markSynced(scope ?? "*") }))
    }

    private func apply(_ event: WatchEvent) {
        guard let job = Job(json: event.object) else { return }
        let deleted = event.type == .deleted
        let gate = deleted ? nil : GateJob(json: event.object, job: job)
        let count = state.withLock { state in
            state.set(job.key, deleted ? nil : job, gate: gate, namespace: job.metadata.namespace)
            return state.jobs.count
        }
        objects.record(count)
        continuation.yield(job.key)
    }

    private func replace(_ scope: String?, with items: [JSONValue]) {
        var fresh: [String: (Job, GateJob?)] = [:]
        for item in items {
            guard let job = Job(json: item) else { continue }
            fresh[job.key] = (job, GateJob(json: item, job: job))
        }
        let (gone, count): ([String], Int) = state.withLock { state in
            let stale = state.jobs.filter { key, _ in (scope == nil || key.hasPrefix(scope! + "/")) && fresh[key] == nil }
            for (key, job) in stale { state.set(key, nil, gate: nil, namespace: job.metadata.namespace) }
            for (key, (job, gate)) in fresh { state.set(key, job, gate: gate, namespace: job.metadata.namespace) }
            return (Array(stale.keys), state.jobs.count)
        }
        objects.record(count)
        for key in gone + Array(fresh.keys) { continuation.yield(key) }
    }

    private func markSynced(_ name: String) {
        let synced: Bool? = state.withLock {
            guard $0.syncedScopes.insert(name).inserted else { return nil }
            return $0.syncedScopes.count == scopes.count
        }
        guard synced == true else { return }
        Gauge(label: "triggergate_watch_synced", dimensions: [("resource", "notebookvalidationjobs")]).record(1)
        logger.info("watch cache synced", metadata: ["jobs": "\(state.withLock { $0.jobs.count })", "scopes": "\(scopes.map { $0 ?? "*" })"])
    }
}

extension GateJob {
    /// The gate entry of a job read from the API's JSON, or `nil` when it gates nothing.
    init?(json: JSONValue, job: Job) {
        self.init(namespace: job.metadata.namespace, name: job.metadata.name, labels: json["metadata", "labels"]?.stringMap ?? [:],
                  annotations: job.metadata.annotations ?? [:], phase: job.phase)
    }
}
