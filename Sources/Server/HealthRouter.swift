import HTTP

/// Routes the plain-HTTP health port: `/healthz`, `/readyz` and `/metrics`, with GET and HEAD; other methods as
/// ``HTTPMethodRule`` says.
struct HealthRouter: Sendable {
    let readiness: Readiness
    /// Renders the Prometheus text exposition of every metric.
    let metricsText: @Sendable () -> [UInt8]

    /// Every path takes GET and HEAD (and OPTIONS).
    static let methods = HTTPMethodRule(served: ["GET", "HEAD"])

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        if let refusal = Self.methods.refusalBeforeRouting(request) { return refusal }
        switch request.path {
        case "/healthz", "/readyz", "/metrics":
            if let refusal = Self.methods.refusal(of: request.method, on: request.path) { return refusal }
        default:
            return .text(404, "no such path \(request.path): try /healthz, /readyz or /metrics\n")
        }
        switch request.path {
        case "/healthz":
            return .text(200, "ok\n")
        case "/readyz":
            if let reason = readiness.notReadyReason { return .text(503, "not ready: \(reason)\n") }
            return .text(200, "ok\n")
        default:
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: metricsText())
        }
    }
}
