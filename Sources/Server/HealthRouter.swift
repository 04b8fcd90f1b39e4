import HTTP

/// Routes the plain-HTTP health port: `/healthz`, `/readyz` and `/metrics`.
struct HealthRouter: Sendable {
    let readiness: Readiness
    /// Renders the Prometheus text exposition of every metric.
    let metricsText: @Sendable () -> [UInt8]

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = HTTPResponse.text(405, "\(request.method) is not allowed on \(request.path): use GET\n")
            response.headers.add(name: "Allow", value: "GET, HEAD")
            return response
        }
        switch request.path {
        case "/healthz":
            return .text(200, "ok\n")
        case "/readyz":
            if let reason = readiness.notReadyReason { return .text(503, "not ready: \(reason)\n") }
            return .text(200, "ok\n")
        case "/metrics":
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: metricsText())
        default:
            return .text(404, "no such path \(request.path): try /healthz, /readyz or /metrics\n")
        }
    }
}
