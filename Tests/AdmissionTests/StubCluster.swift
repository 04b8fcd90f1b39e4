import Admission
import Locking

/// A cluster for the cluster rules' tests: answers from fixed tables, and records every review and GET it was asked.
final class StubCluster: ClusterView {
    struct Asked: Sendable, Equatable {
        var check: AccessCheck
        var user: UserInfo
    }

    /// How reviews are answered.
    enum Reviews: Sendable {
        /// Allowed when the check is in the set.
        case grants(Set<AccessCheck>)
        /// The API server cannot be reached.
        case unreachable
        /// The API server answers after this long (allowed).
        case slow(Duration)
    }

    let reviews: Reviews
    /// Namespace → `mlops.dev/trigger-sources`; `nil` makes the namespace cache unsynced.
    let namespaces: [String: String]?
    /// `apiVersion/kind` → plural, for the kinds discovery serves beyond the built-in ones.
    let served: [String: String]
    /// `namespace/name` of the targets that exist; `nil` when existence cannot be told.
    let existing: Set<String>?
    /// Namespace → the jobs that block a wave; `nil` makes the job cache unsynced.
    let gateJobs: [String: [GateJob]]?
    private let log = Locked<(reviews: [Asked], gets: [String])>(([], []))

    init(
        reviews: Reviews = .grants([]), namespaces: [String: String]? = [:], served: [String: String] = [:], existing: Set<String>? = nil,
        gateJobs: [String: [GateJob]]? = [:]
    ) {
        self.gateJobs = gateJobs
        self.reviews = reviews
        self.namespaces = namespaces
        self.served = served
        self.existing = existing
    }

    var asked: [Asked] { log.withLock { $0.reviews } }
    var gets: [String] { log.withLock { $0.gets } }

    func triggerSources(ofNamespace namespace: String) -> CacheLookup<String?> {
        guard let namespaces else { return .unsynced }
        return .known(namespaces[namespace])
    }

    func resource(of target: TriggerTarget) async -> CacheLookup<String?> {
        .known(served["\(target.trigger.apiVersion)/\(target.trigger.kind)"])
    }

    func review(_ check: AccessCheck, user: UserInfo) async throws -> Bool {
        log.withLock { $0.reviews.append(Asked(check: check, user: user)) }
        switch reviews {
        case .grants(let granted): return granted.contains(check)
        case .unreachable: throw StubUnreachable()
        case .slow(let delay):
            try await Task.sleep(for: delay)
            return true
        }
    }

    func blockingJobs(inNamespace namespace: String) -> CacheLookup<[GateJob]> {
        gateJobs.map { .known($0[namespace] ?? []) } ?? .unsynced
    }

    /// The refusals the gate told of.
    var blocks: [GateBlock] { blocked.withLock { $0 } }
    private let blocked = Locked<[GateBlock]>([])

    func gateBlocked(_ block: GateBlock) {
        blocked.withLock { $0.append(block) }
    }

    func exists(_ target: TriggerTarget, resource: String) async -> Bool? {
        log.withLock { $0.gets.append("\(target.namespace)/\(target.trigger.name)") }
        return existing.map { $0.contains("\(target.namespace)/\(target.trigger.name)") }
    }
}

struct StubUnreachable: Error, CustomStringConvertible {
    var description: String { "connection refused" }
}
