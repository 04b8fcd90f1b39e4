import Locking

/// A client-side token bucket, as client-go has it: `burst` requests at once, then `qps` a second.
///
/// ``acquire()`` reserves a token and sleeps until it is due, so callers are served in the order they asked.
public final class RateLimiter: Sendable {
    /// Tokens added per second.
    public let qps: Double
    /// The bucket's size.
    public let burst: Int
    private let state: Locked<(tokens: Double, last: ContinuousClock.Instant)>

    /// Creates a full bucket.
    ///
    /// - Parameters:
    ///   - qps: Requests per second once the burst is spent (`--kube-qps`, default 50); 0 or less means no limit.
    ///   - burst: Requests allowed at once (`--kube-burst`, default 100).
    public init(qps: Double = 50, burst: Int = 100) {
        self.qps = qps
        self.burst = max(1, burst)
        state = Locked((Double(max(1, burst)), ContinuousClock.now))
    }

    /// Takes a token, waiting until one is available. Throws `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        guard qps > 0 else { return }
        let wait = reserve(at: .now)
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    /// Takes a token (the count may go negative: a reservation) and returns how long the caller must wait for it.
    func reserve(at now: ContinuousClock.Instant) -> Duration {
        state.withLock { state in
            let elapsed = now - state.last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(Double(burst), state.tokens + max(0, seconds) * qps)
            state.last = max(state.last, now)
            state.tokens -= 1
            guard state.tokens < 0 else { return .zero }
            return .nanoseconds(Int64((-state.tokens / qps) * 1e9))
        }
    }
}
