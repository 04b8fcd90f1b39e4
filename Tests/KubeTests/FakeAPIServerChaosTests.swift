import Foundation
import Testing
import TestSupport

/// The fake API server's chaos mode and restart, driven with curl: each fault kind answers as the captures show, only
/// for the User-Agent it is aimed at, and one seed gives one sequence of decisions.
@Suite(.tags(.integration))
struct FakeAPIServerChaosTests {
    let deployment = "/apis/apps/v1/namespaces/ml/deployments/web"

    func start() async throws -> FakeAPIServer {
        let fake = try await FakeAPIServer.start(.init(token: nil))
        try await fake.setObject(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ml"},"spec":{"template":{"metadata":{}}}}"#)
        return fake
    }

    func patch(_ fake: FakeAPIServer, _ value: String, agent: String = "triggergate/test") async throws -> (stdout: String, status: Int32) {
        let result = try await run("curl", ["-s", "-i", "-A", agent, "-X", "PATCH", "-H", "Content-Type: application/merge-patch+json", "-d",
                                            #"{"spec":{"template":{"metadata":{"annotations":{"a":"\#(value)"}}}}}"#, fake.apiURL + deployment])
        return (result.stdout, result.status)
    }

    @Test func conflictsAreTheCapturedStatusAndOnlyTouchTheChosenAgent() async throws {
        let fake = try await start()
        defer { Task { await fake.stop() } }
        try await fake.startChaos(FakeChaos(seed: 1, rates: ["conflict": 1], userAgent: "^triggergate/"))
        let refused = try await patch(fake, "1")
        #expect(refused.stdout.contains("HTTP/1.1 409 Conflict"))
        #expect(refused.stdout.contains(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"web","group":"apps","kind":"deployments"},"code":409}"#))
        #expect(try await patch(fake, "2", agent: "operator").stdout.contains("HTTP/1.1 200 OK"))
        #expect(try await fake.changes()[deployment] == 1)
        let report = try await fake.stopChaos()
        #expect(report.requests == 1 && report.counts["conflict"] == 1)
    }

    @Test func aLostAnswerIsAWriteDoneWithItsConnectionCut() async throws {
        let fake = try await start()
        defer { Task { await fake.stop() } }
        try await fake.startChaos(FakeChaos(seed: 1, rates: ["lose_answer": 1]))
        let lost = try await patch(fake, "1")
        #expect(lost.stdout.isEmpty && lost.status == 52, "curl: \(lost)")
        #expect(try await fake.changes()[deployment] == 1)
        _ = try await fake.stopChaos()
        #expect(try await patch(fake, "1").stdout.contains("HTTP/1.1 200 OK"))
        #expect(try await fake.changes()[deployment] == 1, "a write that changes nothing counted as a change")
    }

    @Test func throttlingErrorsAndGoneAnswerAsCaptured() async throws {
        let fake = try await start()
        defer { Task { await fake.stop() } }
        try await fake.startChaos(FakeChaos(seed: 1, rates: ["throttle": 1], retryAfter: 2))
        let throttled = try await run("curl", ["-s", "-i", fake.apiURL + deployment]).stdout
        #expect(throttled.contains("HTTP/1.1 429") && throttled.contains("Retry-After: 2") && throttled.contains(#""details":{"retryAfterSeconds":2}"#))
        try await fake.startChaos(FakeChaos(seed: 1, rates: ["error": 1]))
        #expect(try await run("curl", ["-s", fake.apiURL + deployment]).stdout.contains(#""reason":"InternalError""#))
        try await fake.startChaos(FakeChaos(seed: 1, rates: ["gone": 1]))
        let watch = try await run("curl", ["-s", fake.apiURL + "/apis/apps/v1/deployments?watch=1&resourceVersion=1"]).stdout
        #expect(watch.hasPrefix(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version"#))
        let list = try await run("curl", ["-s", fake.apiURL + "/apis/apps/v1/deployments?limit=1&continue=MQ=="]).stdout
        #expect(list == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"The resourceVersion for the provided list is too old.","reason":"Expired","code":410}"# + "\n")
        #expect(try await run("curl", ["-s", fake.apiURL + "/apis/apps/v1/deployments"]).stdout.contains(#""kind":"DeploymentList""#),
                "a plain list was refused with 410, which the real server never does")
    }

    @Test func aStalledWatchSendsNothingNotEvenBookmarks() async throws {
        let fake = try await start()
        defer { Task { await fake.stop() } }
        try await fake.configure(#"{"bookmark_interval": 0.2}"#)
        let watch = ["-s", "-N", "--max-time", "1.5", fake.apiURL + "/apis/apps/v1/deployments?watch=1&allowWatchBookmarks=true&resourceVersion=100"]
        #expect(try await run("curl", watch).stdout.contains(#""type":"BOOKMARK""#))
        try await fake.startChaos(FakeChaos(seed: 1, rates: ["stall_watch": 1], stallSeconds: 3))
        #expect(try await run("curl", watch).stdout.isEmpty)
    }

    @Test func oneSeedGivesOneSequenceOfFaults() async throws {
        let fake = try await start()
        defer { Task { await fake.stop() } }
        func faults(seed: UInt64) async throws -> [String] {
            try await fake.startChaos(FakeChaos(seed: seed, rates: ["error": 0.3, "throttle": 0.3]))
            var codes: [String] = []
            for _ in 0..<30 { codes.append(try await run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", fake.apiURL + deployment]).stdout) }
            return codes
        }
        let first = try await faults(seed: 7)
        #expect(Set(first) == ["200", "500", "429"])
        #expect(try await faults(seed: 7) == first)
        #expect(try await faults(seed: 8) != first)
    }

    @Test func aRestartRefusesConnectionsAndKeepsTheObjects() async throws {
        let fake = try await start()
        defer { Task { await fake.stop() } }
        try await fake.restart(refusingFor: 2)
        var refused = false
        let deadline = ContinuousClock.now + .seconds(2)
        while !refused && ContinuousClock.now < deadline {
            refused = try await run("curl", ["-s", fake.apiURL + deployment]).status == 7
        }
        #expect(refused, "the API port never refused a connection")
        try await waitForPort(fake.port)
        #expect(try await run("curl", ["-s", fake.apiURL + deployment]).stdout.contains(#""name":"web""#))
    }
}
