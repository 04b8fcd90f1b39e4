/// Jittered exponential backoff: `base · 2^(attempt-1)`, at most `cap`, then a random 50–100 % of that.
public struct Backoff: Sendable {
    /// The first delay.
    public var base: Duration
    /// The longest delay.
    public var cap: Duration

    /// Creates a backoff.
    public init(base: Duration, cap: Duration) {
        self.base = base
        self.cap = cap
    }

    /// The delay before attempt `attempt + 1`, after `attempt` failures (`attempt` ≥ 1).
    public func delay(after attempt: Int) -> Duration {
        let doubled = base * (1 << min(max(attempt - 1, 0), 20))
        let bounded = min(doubled, cap)
        return bounded * Double.random(in: 0.5...1.0)
    }
}
