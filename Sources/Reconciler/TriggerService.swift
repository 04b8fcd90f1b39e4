public import Kube
public import Logging
public import ServiceLifecycle

/// The trigger reconciler as a ServiceLifecycle `Service` (SPEC §5): the watch cache, leader election, a bounded
/// pool of workers that run triggers while this replica leads, and the Applications' notebook status (SPEC §7).
///
/// On graceful shutdown no new work starts, the work in flight finishes its current step (recorded in `trigger-status`),
/// then the watch stops and the Lease is released.
public final class TriggerService: Service {
    /// Settings of the service.
    public struct Settings: Sendable {
        /// Namespaces to watch; empty for all.
        public var namespaces: [String]
        /// At most this many jobs are worked on at once.
        public var workers: Int
        /// Lease timings.
        public var timing: LeaderElector.Timing
        /// The Lease's namespace.
        public var leaseNamespace: String
        /// The Lease's name.
        public var leaseName: String
        /// This replica's identity (the pod name and a random suffix).
        public var identity: String
        /// How long a trigger retries temporary errors.
        public var deadline: Duration
        /// How the Applications' notebook status is written.
        public var applicationStatus: ApplicationStatusPublisher.Settings

        /// Creates settings.
        public init(
            namespaces: [String], workers: Int, timing: LeaderElector.Timing, leaseNamespace: String, leaseName: String,
            identity: String, deadline: Duration, applicationStatus: ApplicationStatusPublisher.Settings = .init()
        ) {
            self.applicationStatus = applicationStatus
            self.namespaces = namespaces
            self.workers = workers
            self.timing = timing
            self.leaseNamespace = leaseNamespace
            self.leaseName = leaseName
            self.identity = identity
            self.deadline = deadline
        }
    }

    /// The job cache; other parts of the process (the wave gate) read it.
    public let cache: JobCache
    /// The Lease candidate.
    public let elector: LeaderElector
    /// Writes the Applications' notebook status while this replica leads.
    public let applicationStatus: ApplicationStatusPublisher
    private let runner: TriggerRunner
    private let queue = WorkQueue()
    private let settings: Settings
    private let logger: Logger

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - client: The API client.
    ///   - settings: Scope, workers, Lease, deadline.
    ///   - logger: The reconciler's logger.
    public init(client: KubeClient, settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        cache = JobCache(client: client, namespaces: settings.namespaces, logger: logger)
        elector = LeaderElector(
            client: client, namespace: settings.leaseNamespace, name: settings.leaseName, identity: settings.identity,
            timing: settings.timing, logger: logger)
        applicationStatus = ApplicationStatusPublisher(
            api: client, jobs: { [cache] in cache.job($0) }, settings: settings.applicationStatus, logger: logger)
        runner = TriggerRunner(
            api: client, settings: .init(deadline: settings.deadline, instance: settings.identity), logger: logger)
    }

    /// The most jobs worked on at once so far (never more than the number of workers).
    public var mostConcurrentJobs: Int {
        get async { await queue.mostActive }
    }

    /// Runs until graceful shutdown (or cancellation).
    public func run() async throws {
        logger.info("trigger reconciler starting", metadata: [
            "namespaces": "\(settings.namespaces.isEmpty ? ["*"] : settings.namespaces)", "workers": "\(settings.workers)",
            "lease": "\(settings.leaseNamespace)/\(settings.leaseName)", "identity": "\(settings.identity)",
        ])
        await withTaskGroup(of: Void.self) { background in
            background.addTask { await self.cache.run() }
            background.addTask { await self.elector.run() }
            background.addTask {
                for await key in self.cache.changes {
                    self.applicationStatus.jobChanged(key)
                    await self.queue.add(key)
                }
            }
            background.addTask { await self.applicationStatus.run { [elector = self.elector] in elector.isLeader } }
            background.addTask { await self.followLeadership() }
            await withDiscardingTaskGroup { workers in
                for _ in 0..<max(1, settings.workers) {
                    workers.addTask { await self.work() }
                }
                workers.addTask {
                    try? await gracefulShutdown()
                    await self.queue.close()
                }
            }
            background.cancelAll()
        }
        logger.info("trigger reconciler stopped")
    }

    /// Starts handing out work when this replica leads (once the cache is synced, with every job), and stops when it does not.
    private func followLeadership() async {
        for await leading in elector.leadership {
            guard leading else {
                await queue.setPaused(true)
                applicationStatus.leadershipLost()
                continue
            }
            while !cache.isSynced, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
            for key in cache.keys { await queue.add(key) }
            applicationStatus.leadershipGained()
            await queue.setPaused(!elector.isLeader)
        }
    }

    private func work() async {
        while let key = await queue.next() {
            if elector.isLeader, let job = cache.job(key), case .retry(let delay) = await runner.reconcile(job) {
                await queue.add(key, after: delay)
            }
            await queue.done(key)
        }
    }
}
