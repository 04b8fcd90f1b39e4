import Foundation

/// Seeded random faults for the fake to inject into API requests (see `Tests/FakeAPIServer/chaos.py`).
public struct FakeChaos: Encodable, Sendable {
    /// Seeds the fake's random draws: one seed gives one sequence of decisions.
    public var seed: UInt64
    /// Probability per request of each kind: `delay`, `drop`, `error` (500), `throttle` (429 with Retry-After),
    /// `conflict` (409 on PUT and PATCH), `gone` (410 Expired), `lose_answer` (a write of any method applied, its answer lost),
    /// `drop_watch`, `stall_watch`.
    public var rates: [String: Double]
    /// Only requests whose `User-Agent` matches this regular expression are touched; nil = all.
    public var userAgent: String?
    /// The longest `delay`, in seconds.
    public var maxDelay: Double
    /// Seconds in a 429's `Retry-After`.
    public var retryAfter: Int
    /// How long a stalled watch sends nothing, in seconds.
    public var stallSeconds: Double

    /// Chaos with the given seed and rates.
    public init(seed: UInt64, rates: [String: Double], userAgent: String? = nil, maxDelay: Double = 0.5, retryAfter: Int = 1,
                stallSeconds: Double = 3) {
        self.seed = seed
        self.rates = rates
        self.userAgent = userAgent
        self.maxDelay = maxDelay
        self.retryAfter = retryAfter
        self.stallSeconds = stallSeconds
    }

    enum CodingKeys: String, CodingKey {
        case seed, rates
        case userAgent = "user_agent", maxDelay = "max_delay", retryAfter = "retry_after", stallSeconds = "stall_seconds"
    }
}

/// What the chaos mode did.
public struct FakeChaosReport: Decodable, Sendable {
    /// The seed it ran with.
    public var seed: UInt64
    /// API requests it drew for (those whose User-Agent matched).
    public var requests: Int
    /// Faults injected, per kind.
    public var counts: [String: Int]
}

extension FakeAPIServer {
    /// Turns seeded random faults on (replacing any chaos in force).
    public func startChaos(_ chaos: FakeChaos) async throws {
        _ = try await control("POST", "chaos", try JSONEncoder().encode(chaos))
    }

    /// Turns chaos off and returns what it injected.
    public func stopChaos() async throws -> FakeChaosReport {
        try JSONDecoder().decode(FakeChaosReport.self, from: try await control("DELETE", "chaos"))
    }

    /// Restarts the API listener as an API server restart does: every API connection is cut and new ones are refused
    /// for `seconds`; the objects and their resourceVersions are kept. Returns at once; the restart runs on its own.
    public func restart(refusingFor seconds: Double) async throws {
        _ = try await control("POST", "outage", Data(#"{"seconds":\#(seconds)}"#.utf8))
    }

    /// How many writes through the API changed each object, by object path (`/apis/apps/v1/namespaces/ml/deployments/web`).
    /// A write that changes nothing does not count, as it has no effect on the real server either.
    public func changes() async throws -> [String: Int] {
        try JSONDecoder().decode([String: Int].self, from: try await control("GET", "changes"))
    }
}
