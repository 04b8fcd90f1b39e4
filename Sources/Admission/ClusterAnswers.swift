import Locking

/// What a requester-authority review found.
public enum AccessAnswer: Sendable, Hashable {
    /// The requester may do it.
    case allowed
    /// The requester may not.
    case denied
    /// The API server gave no answer (the reason says why); admission denies, failing closed.
    case unavailable(String)
}

/// The answers admission asks the API server for (SPEC §4): requester-authority reviews, and whether a target exists.
///
/// The questions of one request are asked in parallel within a deadline, and answers are kept for a short time,
/// keyed by the whole question (for a review: the user with uid, groups and extra, and the resource attributes), so
/// that the API server's second call and a `--dry-run=server` followed by the real apply cost one review, and a
/// request whose answers are all kept does not wait at all. Only real answers are kept; a failure is asked again next time.
public final class ClusterAnswers: Sendable {
    private enum Question: Hashable {
        case access(UserInfo, AccessCheck)
        case existence(TriggerTarget, resource: String)
    }

    private struct Kept {
        var yes: Bool
        var expires: ContinuousClock.Instant
    }

    /// One existence question: the target and its kind's plural resource name.
    public typealias Existence = (target: TriggerTarget, resource: String)

    private let kept = Locked([Question: Kept]())
    private let lifetime: Duration
    private let deadline: Duration
    private let capacity: Int

    /// Creates the answers' cache.
    /// - Parameters:
    ///   - lifetime: how long an answer is kept (about 10 s).
    ///   - deadline: how long the questions of one request may take together (about 2 s, well inside the webhook's timeout).
    ///   - capacity: the most answers kept; when full, expired answers go first, then all.
    public init(lifetime: Duration = .seconds(10), deadline: Duration = .seconds(2), capacity: Int = 4096) {
        self.lifetime = lifetime
        self.deadline = deadline
        self.capacity = capacity
    }

    /// The answers to `checks` for `user` and to `existence`, in the same orders: kept ones at once, the others asked
    /// of `view` in parallel. A review that has not answered when the deadline passes is `.unavailable`; an existence
    /// question that cannot be answered is `nil`.
    public func answers(
        _ checks: [AccessCheck], user: UserInfo, existence: [Existence], view: any ClusterView
    ) async -> (access: [AccessAnswer], exists: [Bool?]) {
        let questions = checks.map { Question.access(user, $0) } + existence.map { Question.existence($0.target, resource: $0.resource) }
        let now = ContinuousClock.now
        var found: [Bool?] = kept.withLock { kept in
            questions.map { question in kept[question].flatMap { $0.expires > now ? $0.yes : nil } }
        }
        let missing = questions.indices.filter { found[$0] == nil }
        var failures: [Int: String] = [:]
        if !missing.isEmpty {
            let asked = await ask(missing.map { questions[$0] }, view: view)
            let expires = ContinuousClock.now + lifetime
            kept.withLock { kept in
                if kept.count + missing.count > capacity {
                    let now = ContinuousClock.now
                    kept = kept.filter { $0.value.expires > now }
                    if kept.count + missing.count > capacity { kept.removeAll(keepingCapacity: true) }
                }
                for (index, answer) in zip(missing, asked) {
                    switch answer {
                    case .success(let yes):
                        found[index] = yes
                        kept[questions[index]] = Kept(yes: yes, expires: expires)
                    case .failure(let reason):
                        failures[index] = reason.description
                    }
                }
            }
        }
        let access = checks.indices.map { index -> AccessAnswer in
            found[index].map { $0 ? .allowed : .denied } ?? .unavailable(failures[index] ?? "no answer")
        }
        return (access, Array(found[checks.count...]))
    }

    /// Why a question got no answer.
    private struct NoAnswer: Error, CustomStringConvertible {
        var description: String
    }

    /// Asks every question in parallel; those without an answer when the deadline passes are cancelled.
    private func ask(_ questions: [Question], view: any ClusterView) async -> [Result<Bool, NoAnswer>] {
        let deadline = self.deadline
        let timedOut = NoAnswer(description: "no answer from the API server within \(deadline)")
        return await withTaskGroup(of: (Int, Result<Bool, NoAnswer>)?.self) { group in
            for (index, question) in questions.enumerated() {
                group.addTask {
                    switch question {
                    case .access(let user, let check):
                        do {
                            return (index, .success(try await view.review(check, user: user)))
                        } catch {
                            return (index, .failure(Task.isCancelled ? timedOut : NoAnswer(description: "\(error)")))
                        }
                    case .existence(let target, let resource):
                        let exists = await view.exists(target, resource: resource)
                        return (index, exists.map { .success($0) } ?? .failure(NoAnswer(description: "unknown")))
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return nil
            }
            var answers = [Result<Bool, NoAnswer>](repeating: .failure(timedOut), count: questions.count)
            var pending = questions.count
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
