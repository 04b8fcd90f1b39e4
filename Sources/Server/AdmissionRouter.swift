import Admission
import HTTP

/// Routes admission requests: `POST /validate`, `POST /mutate` and `POST /gate` to the admission rules; 404 for
/// other paths, `OPTIONS` (also `OPTIONS *`), 405 and 501 as ``HTTPMethodRule`` says; and 429 with `Retry-After: 1`
/// when too much work is in flight.
struct AdmissionRouter: Sendable {
    let reviewer: AdmissionReviewer
    let limiter: InFlightLimiter
    let metrics: ServerMetrics

    /// Bodies larger than this are decided on the global executor rather than on the connection's event loop, so that
    /// one long decision does not hold up the loop's other connections. Reviews of ordinary objects are far smaller.
    static let inlineDecisionBytes = 256 * 1024

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let webhook = Webhook(rawValue: String(request.path.dropFirst()))
        let (response, result) = request.body.count > Self.inlineDecisionBytes
            ? await withTaskExecutorPreference(globalConcurrentExecutor) { await answer(request, webhook: webhook) }
            : await answer(request, webhook: webhook)
        metrics.record(route: webhook?.rawValue ?? "other", result: result, code: response.status, duration: .now - started)
        return response
    }

    /// The webhooks take POST (and OPTIONS).
    static let methods = HTTPMethodRule(served: ["POST"])

    private func answer(_ request: HTTPRequest, webhook: Webhook?) async -> (HTTPResponse, AdmissionResult) {
        if let refusal = Self.methods.refusalBeforeRouting(request) { return (refusal, .error) }
        guard let webhook else {
            return (.text(404, "no such path \(request.path): the admission webhooks are POST /validate, POST /mutate and POST /gate\n"), .error)
        }
        if let refusal = Self.methods.refusal(of: request.method, on: request.path) { return (refusal, .error) }
        guard let count = limiter.enter() else {
            var response = HTTPResponse.text(429, "too many admission requests in flight; retry in a second\n")
            response.headers.add(name: "Retry-After", value: "1")
            return (response, .error)
        }
        metrics.inFlight.record(count)
        defer { metrics.inFlight.record(limiter.leave()) }
        let (body, result) = await reviewer.answer(body: request.body, webhook: webhook)
        return (HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body), result)
    }
}

extension HTTPResponse {
    /// A plain-text response.
    static func text(_ status: Int, _ message: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(message.utf8))
    }
}
