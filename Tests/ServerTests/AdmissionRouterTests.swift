import Admission
import HTTP
@testable import Server
import Testing

@Suite struct AdmissionRouterTests {
    static let policy = AdmissionPolicy(controllerUsername: "system:serviceaccount:triggergate:triggergate", allowedWriters: [])

    func router(limit: Int) -> (AdmissionRouter, InFlightLimiter) {
        let limiter = InFlightLimiter(limit: limit)
        return (AdmissionRouter(policy: Self.policy, limiter: limiter, metrics: ServerMetrics()), limiter)
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

    @Test func unknownPathsGet404AndOtherMethods405() async {
        let (router, _) = router(limit: 4)
        #expect(await router.handle(HTTPRequest(method: "POST", target: "/validatex")).status == 404)
        #expect(await router.handle(HTTPRequest(method: "POST", target: "/")).status == 404)
        let wrong = await router.handle(HTTPRequest(method: "GET", target: "/mutate"))
        #expect(wrong.status == 405)
        #expect(wrong.headers["Allow"] == "POST")
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
