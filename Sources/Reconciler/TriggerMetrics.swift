import Metrics

/// The reconciler's metrics (SPEC §6): triggers by action and result, trigger latency.
public struct TriggerMetrics: Sendable {
    /// Counts one finished trigger.
    public func finished(_ action: String, succeeded: Bool) {
        Counter(label: "triggergate_triggers_total", dimensions: [("action", action), ("result", succeeded ? "succeeded" : "failed")]).increment()
    }

    /// Counts one attempt that will be retried.
    public func retried(_ action: String) {
        Counter(label: "triggergate_trigger_retries_total", dimensions: [("action", action)]).increment()
    }

    /// Records the time from a success observed to the run's last action acknowledged.
    public func runLatency(_ duration: Duration) {
        Metrics.Timer(label: "triggergate_trigger_latency_seconds", preferredDisplayUnit: .seconds).recordNanoseconds(duration.nanoseconds)
    }

    /// Creates the metrics handle.
    public init() {}
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
