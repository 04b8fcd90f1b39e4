import Locking

/// Lets one warning per cause through per interval (a minute), so that a failure that repeats at every retry is
/// logged at once, then once a minute with the number of repeats left out in between.
final class WarningLimiter: Sendable {
    private struct Entry {
        var logged: ContinuousClock.Instant
        var suppressed: Int
    }

    private let interval: Duration
    private let entries = Locked<[String: Entry]>([:])

    /// Creates a limiter that lets each cause through once per `interval`.
    init(interval: Duration = .seconds(60)) {
        self.interval = interval
    }

    /// Whether a warning for `cause` may be logged now: the number of warnings for it held back since the last one
    /// logged (0 for the first), or `nil` to hold this one back.
    func admit(_ cause: String, now: ContinuousClock.Instant = .now) -> Int? {
        entries.withLock { entries in
            if var entry = entries[cause], now - entry.logged < interval {
                entry.suppressed += 1
                entries[cause] = entry
                return nil
            }
            let suppressed = entries[cause]?.suppressed ?? 0
            entries[cause] = Entry(logged: now, suppressed: 0)
            return suppressed
        }
    }
}
