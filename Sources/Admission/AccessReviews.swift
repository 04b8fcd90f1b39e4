import Synchronization

/// What a requester-authority review found.
public enum AccessAnswer: Sendable, Hashable {
    /// The requester may do it.
    case allowed
    /// The requester may not.
    case denied
    /// The API server gave no answer (the reason says why); admission denies, failing closed.
    case unavailable(String)
}

/// The requester-authority reviews of one admission server (SPEC §4): the reviews of one request run in parallel
/// within a deadline, and answers are kept for a short time, keyed by the whole question (the user with uid, groups
/// and extra, and the resource attributes), so that the API server's second call and a `--dry-run=server` followed by
/// the real apply cost one review. Only real answers are kept; a failure is asked again next time.
public final class AccessReviews: Sendable {
    private struct Question: Hashable {
        var user: UserInfo
        var check: AccessCheck
    }

    private struct Kept {
        var allowed: Bool
        var expires: ContinuousClock.Instant
    }

    private let kept = Mutex([Question: Kept]())
    private let lifetime: Duration
    private let deadline: Duration
    private let capacity: Int

    /// Creates the reviews' cache.
    /// - Parameters:
    ///   - lifetime: how long an answer is kept (about 10 s).
    ///   - deadline: how long the reviews of one request may take together (about 2 s, well inside the webhook's timeout).
    ///   - capacity: the most answers kept; when full, expired answers go first, then all.
    public init(lifetime: Duration = .seconds(10), deadline: Duration = .seconds(2), capacity: Int = 4096) {
        self.lifetime = lifetime
        self.deadline = deadline
        self.capacity = capacity
    }

    /// The answers to `checks` for `user`, in the same order: kept ones at once, the others asked of `view` in parallel.
    /// A review that has not answered when the deadline passes is `.unavailable`.
    public func answers(_ checks: [AccessCheck], user: UserInfo, view: any ClusterView) async -> [AccessAnswer] {
        let now = ContinuousClock.now
        var answers = kept.withLock { kept in
            checks.map { check -> AccessAnswer? in
                guard let answer = kept[Question(user: user, check: check)], answer.expires > now else { return nil }
                return answer.allowed ? .allowed : .denied
            }
        }
        let missing = answers.indices.filter { answers[$0] == nil }
        guard !missing.isEmpty else { return answers.map { $0! } }
        let asked = await ask(missing.map { checks[$0] }, user: user, view: view)
        let expires = ContinuousClock.now + lifetime
        kept.withLock { kept in
            if kept.count + asked.count > capacity {
                let now = ContinuousClock.now
                kept = kept.filter { $0.value.expires > now }
                if kept.count + asked.count > capacity { kept.removeAll(keepingCapacity: true) }
            }
            for (offset, index) in missing.enumerated() {
                answers[index] = asked[offset]
                switch asked[offset] {
                case .allowed: kept[Question(user: user, check: checks[index])] = Kept(allowed: true, expires: expires)
                case .denied: kept[Question(user: user, check: checks[index])] = Kept(allowed: false, expires: expires)
                case .unavailable: break
                }
            }
        }
        return answers.map { $0! }
    }

    /// Asks every check in parallel; those without an answer when the deadline passes are cancelled and `.unavailable`.
    private func ask(_ checks: [AccessCheck], user: UserInfo, view: any ClusterView) async -> [AccessAnswer] {
        let deadline = self.deadline
        let timedOut = AccessAnswer.unavailable("no answer from the API server within \(deadline)")
        return await withTaskGroup(of: (Int, AccessAnswer)?.self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask {
                    do {
                        return (index, try await view.review(check, user: user) ? .allowed : .denied)
                    } catch {
                        return (index, Task.isCancelled ? timedOut : .unavailable("\(error)"))
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return nil
            }
            var answers = [AccessAnswer](repeating: timedOut, count: checks.count)
            var pending = checks.count
            while pending > 0, let next = await group.next() {
                guard let (index, answer) = next else { break }
                answers[index] = answer
                pending -= 1
            }
            group.cancelAll()
            return answers
        }
    }
}
