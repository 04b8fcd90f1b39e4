import Glibc

/// A hidden hook for crash tests: `TRIGGERGATE_TESTING_CRASH_AT=<point>` makes the process kill itself with SIGKILL
/// when it reaches that point, to prove that a crash at any point neither repeats nor skips an action.
public enum TestingHook {
    /// The points where a crash can be asked for.
    public enum Point: String, Sendable {
        /// An attempt is recorded in `trigger-status`, the action is not done yet.
        case afterRecord = "after-record"
        /// The action is done, its result is not recorded yet.
        case afterAction = "after-action"
        /// One pod of an InferenceService is evicted, others are not yet.
        case midEviction = "mid-eviction"
    }

    private static let requested: String? = getenv("TRIGGERGATE_TESTING_CRASH_AT").map { String(cString: $0) }

    /// Dies at once when `point` is the one asked for.
    public static func reach(_ point: Point) {
        if requested == point.rawValue { kill(getpid(), SIGKILL) }
    }
}
