public import Kube
public import Logging
import Metrics
import Locking

/// Leader election on a `coordination.k8s.io/v1` Lease, as client-go does it (SPEC §5): a candidate takes the Lease when
/// its record has not changed for the lease duration; the leader renews it every retry period and steps down when it
/// could not renew for the renew deadline. The Lease is released on shutdown. The gauge `triggergate_leader` shows it.
///
/// A failed attempt is logged at warning with its cause and the fix (once per cause per minute) and counted in
/// `triggergate_leader_election_errors_total{reason}`: a missing namespace, RBAC, conflicts and timeouts never pass unseen.
public final class LeaderElector: Sendable {
    /// The three timings, as client-go names them.
    public struct Timing: Sendable {
        /// How long a Lease that is not renewed stays held (`--lease-duration`, 15 s).
        public var leaseDuration: Duration
        /// How long the leader keeps trying to renew before it steps down (`--lease-renew-deadline`, 10 s).
        public var renewDeadline: Duration
        /// How often candidates try and the leader renews (`--lease-retry-period`, 2 s).
        public var retryPeriod: Duration

        /// Creates timings.
        public init(leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)) {
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
        }
    }

    private struct Observed {
        var lease: Lease?
        var at: ContinuousClock.Instant = .now
        var leader = false
    }

    private let client: KubeClient
    private let namespace: String
    private let name: String
    /// This candidate's identity, written as `holderIdentity`.
    public let identity: String
    private let timing: Timing
    private let logger: Logger
    private let observed = Locked(Observed())
    private let warnings = WarningLimiter()
    private let continuation: AsyncStream<Bool>.Continuation
    /// Leadership changes: `true` when this process becomes the leader, `false` when it stops being it.
    public let leadership: AsyncStream<Bool>

    /// Creates a candidate for the Lease `namespace/name`.
    public init(client: KubeClient, namespace: String, name: String, identity: String, timing: Timing, logger: Logger) {
        self.client = client
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.timing = timing
        self.logger = logger
        (leadership, continuation) = AsyncStream.makeStream(of: Bool.self)
        Gauge(label: "triggergate_leader").record(0)
    }

    /// Whether this process holds the Lease now.
    public var isLeader: Bool { observed.withLock { $0.leader } }

    /// Campaigns and renews until cancelled, then releases the Lease if it holds it.
    public func run() async {
        var lastRenewal = ContinuousClock.now
        while !Task.isCancelled {
            var held = false
            do {
                held = try await tryAcquireOrRenew()
            } catch {
                if !Task.isCancelled { failed(APIFailure(error)) }
            }
            if held {
                lastRenewal = .now
                if !isLeader { set(leader: true) }
            } else if isLeader, ContinuousClock.now - lastRenewal >= timing.renewDeadline {
                set(leader: false)
            }
            try? await Task.sleep(for: timing.retryPeriod * Double.random(in: 1.0...1.2))
        }
        if isLeader {
            set(leader: false)
            await Task { await self.release() }.value
        }
        continuation.finish()
    }

    private func set(leader: Bool) {
        observed.withLock { $0.leader = leader }
        Gauge(label: "triggergate_leader").record(leader ? 1 : 0)
        logger.info(leader ? "became the leader" : "stopped being the leader", metadata: ["lease": "\(namespace)/\(name)", "identity": "\(identity)"])
        continuation.yield(leader)
    }

    private func failed(_ failure: APIFailure) {
        Counter(label: "triggergate_leader_election_errors_total", dimensions: [("reason", failure.reason.rawValue)]).increment()
        failure.warn(
            isLeader ? "cannot renew the Lease" : "cannot take the Lease; triggers do not run until a replica leads",
            fix: fix(failure.reason), key: "lease", limiter: warnings, logger: logger,
            metadata: ["lease": "\(namespace)/\(name)", "identity": "\(identity)"])
    }

    /// What to do about a failed attempt, in terms of this Lease.
    private func fix(_ reason: APIFailure.Reason) -> String {
        switch reason {
        case .namespaceNotFound: "create namespace \(namespace) or set --lease-namespace"
        case .forbidden:
            "grant get, create and update on leases (coordination.k8s.io) in namespace \(namespace) to triggergate's service account (deploy/base/rbac.yaml)"
        case .conflict: "another replica wrote the Lease at the same moment; nothing to do unless this repeats every minute"
        case .timeout: "the API server did not answer in time; check its load and the network to it (--kube-timeout sets the deadline)"
        default: ""
        }
    }

    private func tryAcquireOrRenew() async throws -> Bool {
        let now = KubeTime.microTime()
        let seconds = Int(timing.leaseDuration.components.seconds)
        guard let current = try await client.lease(namespace: namespace, name: name) else {
            let created = try await client.createLease(Lease(
                namespace: namespace, name: name, holderIdentity: identity, leaseDurationSeconds: seconds,
                acquireTime: now, renewTime: now, leaseTransitions: 0))
            observed.withLock { $0.lease = created; $0.at = .now }
            return true
        }
        let sinceChange: Duration = observed.withLock { state in
            if state.lease != current { state.lease = current; state.at = .now }
            return .now - state.at
        }
        let holder = current.holderIdentity ?? ""
        let duration = current.leaseDurationSeconds.map { Duration.seconds($0) } ?? timing.leaseDuration
        if !holder.isEmpty, holder != identity, sinceChange < duration { return false }
        var next = current
        if holder != identity {
            next.holderIdentity = identity
            next.acquireTime = now
            next.leaseTransitions = (current.leaseTransitions ?? 0) + 1
        }
        next.leaseDurationSeconds = seconds
        next.renewTime = now
        let updated = try await client.updateLease(next)
        observed.withLock { $0.lease = updated; $0.at = .now }
        return true
    }

    /// Gives the Lease up so that another replica takes over at once.
    private func release() async {
        do {
            guard var lease = try await client.lease(namespace: namespace, name: name), lease.holderIdentity == identity else { return }
            lease.holderIdentity = ""
            lease.leaseDurationSeconds = 1
            lease.renewTime = KubeTime.microTime()
            _ = try await client.updateLease(lease)
            logger.info("released the lease", metadata: ["lease": "\(namespace)/\(name)"])
        } catch {
            logger.warning("cannot release the lease; another replica takes over when it expires", metadata: ["error": "\(error)"])
        }
    }
}
