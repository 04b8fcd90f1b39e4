import Admission
import Metrics
import Locking

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

    private let requests = LazyCounters<RequestKey>(label: "triggergate_admission_requests_total") {
        [("webhook", $0.route), ("result", $0.result.rawValue), ("code", String($0.code))]
    }
    private let latency: [String: Timer]
    private let gateDecisions = LazyCounters<GateResult>(label: "triggergate_gate_decisions_total") { [("result", $0.rawValue)] }
    let inFlight = Gauge(label: "triggergate_admission_requests_in_flight")
    let handshakes = Counter(label: "triggergate_tls_handshakes_total")
    let handshakeFailures = Counter(label: "triggergate_tls_handshake_failures_total")
    let openConnections = Gauge(label: "triggergate_admission_connections_open")
    let refusedConnections = Counter(label: "triggergate_admission_connections_refused_total")
    let certificateExpiry = Gauge(label: "triggergate_tls_certificate_expiration_timestamp_seconds")

    init() {
        latency = Dictionary(uniqueKeysWithValues: Self.routes.map {
            ($0, Timer(label: "triggergate_admission_request_duration_seconds", dimensions: [("webhook", $0)]))
        })
    }

    /// Counts one decision of the wave gate.
    func recordGate(_ result: GateResult) {
        gateDecisions[result].increment()
    }

    /// Counts one answered request and records how long it took.
    func record(route: String, result: AdmissionResult, code: Int, duration: Duration) {
        requests[RequestKey(route: route, result: result, code: code)].increment()
        latency[route]?.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}

/// The counters of one family, each made when its label set is first counted.
private final class LazyCounters<Key: Hashable & Sendable>: Sendable {
    private let label: String
    private let dimensions: @Sendable (Key) -> [(String, String)]
    private let counters = Locked<[Key: Counter]>([:])

    init(label: String, dimensions: @escaping @Sendable (Key) -> [(String, String)]) {
        self.label = label
        self.dimensions = dimensions
    }

    subscript(key: Key) -> Counter {
        counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions(key))
            counters[key] = counter
            return counter
        }
    }
}
