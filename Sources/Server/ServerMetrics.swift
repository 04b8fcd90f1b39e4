import Admission
import Metrics
import Synchronization

/// The admission server's metrics, made once (or, for a label set, on its first use) so that the hot path only updates
/// them; no series is exported that can never move.
final class ServerMetrics: Sendable {
    /// Route labels: the three webhooks and everything else.
    static let routes = [Webhook.validate.rawValue, Webhook.mutate.rawValue, Webhook.gate.rawValue, "other"]

    private struct RequestKey: Hashable {
        var route: String
        var result: AdmissionResult
        var code: Int
    }

    private let requests = Mutex<[RequestKey: Counter]>([:])
    private let latency: [String: Timer]
    private let gateDecisions = Dictionary(uniqueKeysWithValues: [GateResult.allowed, .blocked, .unsynced].map {
        ($0, Counter(label: "triggergate_gate_decisions_total", dimensions: [("result", $0.rawValue)]))
    })
    let inFlight = Gauge(label: "triggergate_admission_requests_in_flight")
    let handshakes = Counter(label: "triggergate_tls_handshakes_total")
    let handshakeFailures = Counter(label: "triggergate_tls_handshake_failures_total")
    let certificateExpiry = Gauge(label: "triggergate_tls_certificate_expiration_timestamp_seconds")

    init() {
        latency = Dictionary(uniqueKeysWithValues: Self.routes.map {
            ($0, Timer(label: "triggergate_admission_request_duration_seconds", dimensions: [("webhook", $0)]))
        })
    }

    /// Counts one decision of the wave gate.
    func recordGate(_ result: GateResult) {
        gateDecisions[result]?.increment()
    }

    /// Counts one answered request and records how long it took.
    func record(route: String, result: AdmissionResult, code: Int, duration: Duration) {
        let key = RequestKey(route: route, result: result, code: code)
        let counter = requests.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: "triggergate_admission_requests_total", dimensions: [
                ("webhook", route), ("result", result.rawValue), ("code", String(code)),
            ])
            counters[key] = counter
            return counter
        }
        counter.increment()
        latency[route]?.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
