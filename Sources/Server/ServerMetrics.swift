import Admission
import Metrics

/// The admission server's metrics, made once so that the hot path only updates them.
final class ServerMetrics: Sendable {
    /// The status codes the router answers with.
    static let codes = [200, 404, 405, 429]
    /// Route labels: the three webhooks and everything else.
    static let routes = [Webhook.validate.rawValue, Webhook.mutate.rawValue, Webhook.gate.rawValue, "other"]

    private let requests: [String: [Int: Counter]]
    private let latency: [String: Timer]
    private let gateDecisions = Dictionary(uniqueKeysWithValues: [GateResult.allowed, .blocked, .unsynced].map {
        ($0, Counter(label: "triggergate_gate_decisions_total", dimensions: [("result", $0.rawValue)]))
    })
    let inFlight = Gauge(label: "triggergate_admission_requests_in_flight")
    let handshakes = Counter(label: "triggergate_tls_handshakes_total")
    let handshakeFailures = Counter(label: "triggergate_tls_handshake_failures_total")
    let certificateExpiry = Gauge(label: "triggergate_tls_certificate_expiration_timestamp_seconds")

    init() {
        var requests: [String: [Int: Counter]] = [:]
        var latency: [String: Timer] = [:]
        for route in Self.routes {
            for code in Self.codes {
                requests[route, default: [:]][code] = Counter(
                    label: "triggergate_admission_requests_total", dimensions: [("webhook", route), ("code", String(code))])
            }
            latency[route] = Timer(label: "triggergate_admission_request_duration_seconds", dimensions: [("webhook", route)])
        }
        self.requests = requests
        self.latency = latency
    }

    /// Counts one decision of the wave gate.
    func recordGate(_ result: GateResult) {
        gateDecisions[result]?.increment()
    }

    /// Counts one answered request and records how long it took.
    func record(route: String, code: Int, duration: Duration) {
        requests[route]?[code]?.increment()
        latency[route]?.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
