public import TestSupport

/// The size and the disruptions of one reconciler chaos run.
public struct ChaosSettings: Sendable {
    /// Jobs that succeed during the run, each with its own three targets (a Deployment restart, an Application sync and an
    /// InferenceService refresh).
    public var jobs: Int
    /// The time over which the jobs succeed, evenly spread.
    public var spread: Duration
    /// `triggergate serve` replicas kept running.
    public var replicas: Int
    /// When to SIGKILL the leader (a new replica is started in its place), as fractions of `spread`.
    public var leaderKills: [Double]
    /// When to restart the fake API server, as fractions of `spread`.
    public var apiRestarts: [Double]
    /// How long a restarted API server refuses connections.
    public var restartOutage: Double
    /// The random faults injected into the replicas' requests while the jobs succeed.
    public var chaos: FakeChaos
    /// How long to wait, after chaos ends, for every job to be finished.
    public var quiescence: Duration

    /// Rates per request used by both sizes: each fault kind of `Tests/FakeAPIServer/chaos.py`.
    public static let rates: [String: Double] = [
        "delay": 0.05, "drop": 0.01, "error": 0.02, "throttle": 0.02, "conflict": 0.02, "gone": 0.25,
        "lose_answer": 0.02, "drop_watch": 0.25, "stall_watch": 0.15,
    ]

    /// The CI size: 100 jobs over 15 s, 2 replicas, one leader kill, one API server restart.
    public static func ci(seed: UInt64) -> ChaosSettings {
        ChaosSettings(jobs: 100, spread: .seconds(15), replicas: 2, leaderKills: [0.4], apiRestarts: [0.7], restartOutage: 1,
                      chaos: FakeChaos(seed: seed, rates: rates, userAgent: "^triggergate/"), quiescence: .seconds(60))
    }

    /// The full size: 1,000 jobs over 60 s, 3 replicas, two leader kills, two API server restarts.
    public static func full(seed: UInt64) -> ChaosSettings {
        ChaosSettings(jobs: 1000, spread: .seconds(60), replicas: 3, leaderKills: [0.25, 0.65], apiRestarts: [0.45, 0.85],
                      restartOutage: 2, chaos: FakeChaos(seed: seed, rates: rates, userAgent: "^triggergate/"), quiescence: .seconds(180))
    }
}
