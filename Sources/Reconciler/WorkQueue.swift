/// The keys of jobs waiting for a worker: each key at most once, and never handed out while a worker holds it,
/// so at most one worker works on a job at a time. Paused while this replica is not the leader.
public actor WorkQueue {
    private var pending: [String] = []
    private var queued: Set<String> = []
    private var active: Set<String> = []
    private var again: Set<String> = []
    /// Keys that wait for a retry: not handed out before their time, even when their job changes meanwhile.
    private var notBefore: [String: ContinuousClock.Instant] = [:]
    private var waiters: [CheckedContinuation<String?, Never>] = []
    private var paused = true
    private var closed = false
    /// The most keys held by workers at once, for tests and the benchmark.
    public private(set) var mostActive = 0

    /// Creates a paused queue.
    public init() {}

    /// Asks for `key` to be worked on; if a worker holds it now, once more after that worker is done.
    public func add(_ key: String) {
        guard !closed else { return }
        if let until = notBefore[key] {
            guard until <= .now else { return }
            notBefore[key] = nil
        }
        if active.contains(key) {
            again.insert(key)
        } else if queued.insert(key).inserted {
            pending.append(key)
            wake()
        }
    }

    /// Adds `key` after `delay`, for a trigger that waits for its next attempt; until then other adds of it are ignored
    /// (its own status write comes back through the watch at once, and must not cut the backoff short).
    public func add(_ key: String, after delay: Duration) {
        let until = ContinuousClock.now + delay
        notBefore[key] = until
        Task {
            try? await Task.sleep(until: until)
            self.due(key, until)
        }
    }

    private func due(_ key: String, _ until: ContinuousClock.Instant) {
        guard notBefore[key] == until else { return }
        notBefore[key] = nil
        add(key)
    }

    /// The next key to work on, held until ``done(_:)``; `nil` once the queue is closed.
    public func next() async -> String? {
        if let key = take() { return key }
        if closed { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Releases `key`; if it was added meanwhile, it is queued again.
    public func done(_ key: String) {
        active.remove(key)
        if again.remove(key) != nil { add(key) }
    }

    /// Stops or resumes handing out keys (a replica that is not the leader holds its keys).
    public func setPaused(_ value: Bool) {
        paused = value
        wake()
    }

    /// Hands out nothing more: waiting and later calls to ``next()`` return `nil`.
    public func close() {
        closed = true
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.resume(returning: nil) }
    }

    private func take() -> String? {
        guard !paused, !closed, !pending.isEmpty else { return nil }
        let key = pending.removeFirst()
        queued.remove(key)
        active.insert(key)
        mostActive = max(mostActive, active.count)
        return key
    }

    private func wake() {
        while !waiters.isEmpty, let key = take() {
            waiters.removeFirst().resume(returning: key)
        }
    }
}
