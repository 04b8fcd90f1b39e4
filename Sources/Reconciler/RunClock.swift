/// When each run was first seen by this process, for the latency metric.
actor RunClock {
    private var started: [String: (run: String, at: ContinuousClock.Instant)] = [:]

    /// Notes that `run` of job `key` was observed at `observed`.
    func begin(_ key: String, run: String, observed: ContinuousClock.Instant) {
        started[key] = (run, observed)
    }

    /// The time since `run` of job `key` began, if this process saw it begin.
    func end(_ key: String, run: String) -> Duration? {
        guard let begun = started.removeValue(forKey: key), begun.run == run else { return nil }
        return .now - begun.at
    }
}
