import Admission
import HTTP
import Glibc
@testable import Server
@testable import Sockets
import Testing

@Suite struct AdmissionRouterTests {
    static let policy = AdmissionPolicy(controllerUsername: "system:serviceaccount:triggergate:triggergate", allowedWriters: [])

    func router(limit: Int) -> (AdmissionRouter, InFlightLimiter) {
        let limiter = InFlightLimiter(limit: limit)
        return (AdmissionRouter(reviewer: AdmissionReviewer(policy: Self.policy, cluster: nil), limiter: limiter, metrics: ServerMetrics()), limiter)
    }

    @Test func workPastTheBoundGets429WithRetryAfter() async throws {
        let (router, limiter) = router(limit: 1)
        #expect(limiter.enter() == 1)
        let refused = await router.handle(HTTPRequest(method: "POST", target: "/validate", body: Array("{}".utf8)))
        #expect(refused.status == 429)
        #expect(refused.headers["Retry-After"] == "1")
        #expect(limiter.leave() == 0)
        let answered = await router.handle(HTTPRequest(method: "POST", target: "/validate?timeout=10s", body: Array("{}".utf8)))
        #expect(answered.status == 200)
        #expect(answered.headers["Content-Type"] == "application/json")
        #expect(limiter.enter() == 1, "the slot was given back")
    }

    /// A large review is decided off the connection's event loop: a job that arrives on that loop during the decision
    /// runs before the decision ends. Decided on the loop itself, the job would wait for the whole decision.
    @Test func aLargeReviewDoesNotHoldUpItsEventLoop() async throws {
        let (router, _) = router(limit: 4)
        let loop = try EventLoop()
        let (text, uid) = try slowReviewText(count: 100_000)
        let body = Array(text.utf8)
        #expect(body.count > AdmissionRouter.inlineDecisionBytes)
        let clock = ContinuousClock()
        async let decided: (status: Int, body: String, at: ContinuousClock.Instant) = withTaskExecutorPreference(loop) {
            let response = await router.handle(HTTPRequest(method: "POST", target: "/validate", body: body))
            return (response.status, String(decoding: response.body, as: UTF8.self), clock.now)
        }
        try await Task.sleep(for: .milliseconds(20))
        let otherJobRan = await withTaskExecutorPreference(loop) { clock.now }
        let decision = await decided
        #expect(decision.status == 200)
        #expect(decision.body.contains(uid))
        #expect(otherJobRan < decision.at, "the loop served another job while the large review was decided")
    }

    @Test func unknownPathsGet404AndOtherMethods405() async {
        let (router, _) = router(limit: 4)
        #expect(await router.handle(HTTPRequest(method: "POST", target: "/validatex")).status == 404)
        #expect(await router.handle(HTTPRequest(method: "POST", target: "/")).status == 404)
        let wrong = await router.handle(HTTPRequest(method: "GET", target: "/mutate"))
        #expect(wrong.status == 405)
        #expect(wrong.headers["Allow"] == "POST, OPTIONS")
        #expect(await router.handle(HTTPRequest(method: "PUT", target: "/validate")).status == 405)
    }

    /// RFC 9110: OPTIONS gets 200 with Allow (on a webhook and as `OPTIONS *`); a method the server does not
    /// recognise gets 501, on any path.
    @Test func optionsAndUnrecognisedMethods() async {
        let (router, _) = router(limit: 4)
        for target in ["*", "/validate"] {
            let options = await router.handle(HTTPRequest(method: "OPTIONS", target: target))
            #expect(options.status == 200)
            #expect(options.headers["Allow"] == "POST, OPTIONS")
            #expect(options.body.isEmpty)
        }
        #expect(await router.handle(HTTPRequest(method: "OPTIONS", target: "/nope")).status == 404)
        #expect(await router.handle(HTTPRequest(method: "POST", target: "*")).status == 400)
        for target in ["/validate", "/nope", "*"] {
            let brew = await router.handle(HTTPRequest(method: "BREW", target: target))
            #expect(brew.status == 501)
            #expect(brew.headers["Allow"] == nil)
        }
        let health = HealthRouter(readiness: Readiness(), metricsText: { [] })
        #expect(await health.handle(HTTPRequest(method: "OPTIONS", target: "*")).headers["Allow"] == "GET, HEAD, OPTIONS")
        let post = await health.handle(HTTPRequest(method: "POST", target: "/healthz"))
        #expect(post.status == 405)
        #expect(post.headers["Allow"] == "GET, HEAD, OPTIONS")
        #expect(await health.handle(HTTPRequest(method: "BREW", target: "/healthz")).status == 501)
        #expect(await health.handle(HTTPRequest(method: "GET", target: "/nope")).status == 404)
    }

    @Test func readinessNeedsListenerAndCertificateAndNoShutdown() {
        let readiness = Readiness()
        #expect(readiness.notReadyReason != nil)
        readiness.setListening(true)
        #expect(readiness.notReadyReason == "no serving certificate is loaded")
        readiness.setCertificateLoaded()
        #expect(readiness.notReadyReason == nil)
        readiness.beginShutdown()
        #expect(readiness.notReadyReason == "shutting down")
    }
}
