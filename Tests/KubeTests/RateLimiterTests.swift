@testable import Kube
import Testing

struct RateLimiterTests {
    @Test func burstThenQPS() {
        let limiter = RateLimiter(qps: 10, burst: 3)
        let start = ContinuousClock.now
        let waits = (0..<6).map { _ in limiter.reserve(at: start) }
        #expect(waits[0..<3].allSatisfy { $0 == .zero })
        #expect(waits[3] == .milliseconds(100))
        #expect(waits[4] == .milliseconds(200))
        #expect(waits[5] == .milliseconds(300))
        #expect(limiter.reserve(at: start + .seconds(10)) == .zero)
    }

    @Test func acquireWaits() async throws {
        let limiter = RateLimiter(qps: 20, burst: 2)
        let start = ContinuousClock.now
        for _ in 0..<6 { try await limiter.acquire() }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(190))
    }
}
