import Foundation
import Kube
import Reconciler
import TestSupport
import Testing

/// The real `triggergate serve --kubeconfig` binary against the fake API server: killed with SIGKILL at each point of a
/// trigger's life, then started again, it neither repeats an action's effect nor skips one; and a second instance takes
/// over from a killed leader without duplicates.
@Suite(.tags(.integration)) struct ServeCrashTests {
    /// Starts `triggergate serve` for the fake, on free ports, with short lease timings.
    func serve(_ cluster: ClusterHarness, crashAt: String? = nil) throws -> ChildProcess {
        try ServeReplica.start(kubeconfig: cluster.fake.kubeconfigPath, crashAt: crashAt).process
    }

    /// Writes made to `path` that the fake answered (it records requests, so this counts attempts, not effects).
    func requests(_ cluster: ClusterHarness, _ method: String, _ suffix: String) async throws -> Int {
        try await cluster.fake.requests().filter { $0.method == method && $0.path.hasSuffix(suffix) }.count
    }

    @Test(arguments: ["after-record", "after-action"])
    func aKillBetweenRecordAndActionNeitherRepeatsNorSkips(_ point: String) async throws {
        let cluster = try await ClusterHarness.start()
        try await cluster.fake.setObject(ClusterHarness.job("train", phase: "Succeeded"))
        try await cluster.setPhase("train", "Succeeded", completionTime: "2026-11-29T06:00:00Z")
        let first = try serve(cluster, crashAt: point)
        #expect(await first.waitForExit() == 128 + SIGKILL, "\(first.output)")
        let recorded = try #require(try await cluster.status("train"))
        #expect(recorded.triggers[0].state == .Pending && recorded.triggers[0].attempts == 1, "\(recorded.annotation)")

        let second = try serve(cluster)
        try await cluster.eventually("every trigger finished after the restart", timeout: .seconds(30)) {
            try await cluster.status("train")?.isFinished == true
        }
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0, "\(second.output)")
        let status = try #require(try await cluster.status("train"))
        #expect(status.triggers.allSatisfy { $0.state == .Succeeded }, "\(status.annotation)")

        let deployment = try #require(try await cluster.fake.object(at: "/apis/apps/v1/namespaces/ml/deployments/web"))
        let metadata = try #require(deployment["metadata"] as? [String: Any])
        #expect(metadata["generation"] as? Int == 2, "the Deployment's template changed more than once")
        let template = ((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["metadata"] as? [String: Any]
        #expect((template?["annotations"] as? [String: String])?["kubectl.kubernetes.io/restartedAt"] == recorded.triggers[0].at)
        #expect(try await requests(cluster, "POST", "/eviction") == 2, "a pod was evicted twice")
        #expect(try await requests(cluster, "PATCH", "/applications/ml-app") == 2, "sync or refresh was sent twice")
        let seen = try await cluster.fake.requests()
        #expect(seen.filter { $0.method == "PATCH" && $0.path.hasSuffix("/deployments/web") }.count == (point == "after-action" ? 2 : 1))
        await cluster.fake.stop()
    }

    @Test func aKillInTheMiddleOfEvictionsEvictsTheRestAndNothingNew() async throws {
        let cluster = try await ClusterHarness.start()
        try await cluster.fake.setObject(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"model-c","namespace":"ml","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"serving.kserve.io/inferenceservice":"model"}},"spec":{}}"#)
        let trigger = "[{apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: model, action: restart}]"
        try await cluster.fake.setObject(ClusterHarness.job("train", phase: "Succeeded", triggers: trigger))
        let first = try serve(cluster, crashAt: "mid-eviction")
        #expect(await first.waitForExit() == 128 + SIGKILL, "\(first.output)")
        #expect(try await requests(cluster, "POST", "/eviction") == 1)
        try await cluster.fake.setObject(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"model-new","namespace":"ml","creationTimestamp":"2099-01-01T00:00:00Z","labels":{"serving.kserve.io/inferenceservice":"model"}},"spec":{}}"#)

        let second = try serve(cluster)
        try await cluster.eventually("the restart finished", timeout: .seconds(30)) { try await cluster.status("train")?.isFinished == true }
        second.signal(SIGTERM)
        _ = await second.waitForExit()
        let status = try #require(try await cluster.status("train"))
        #expect(status.triggers[0].state == .Succeeded, "\(status.annotation)")
        let evictions = try await cluster.fake.requests().filter { $0.method == "POST" && $0.path.hasSuffix("/eviction") }.map(\.path)
        #expect(evictions == ["model-a", "model-b", "model-c"].map { "/api/v1/namespaces/ml/pods/\($0)/eviction" })
        #expect(try await cluster.fake.object(at: "/api/v1/namespaces/ml/pods/model-new") != nil)
        await cluster.fake.stop()
    }

    @Test func whenTheLeaderIsKilledTheOtherTakesOverWithoutDuplicates() async throws {
        let cluster = try await ClusterHarness.start()
        let trigger = "[{apiVersion: apps/v1, kind: Deployment, name: web, action: restart}]"
        try await cluster.fake.setObject(ClusterHarness.job("first", phase: "Pending", triggers: trigger))
        try await cluster.fake.setObject(ClusterHarness.job("second", phase: "Pending", triggers: trigger))
        let a = try serve(cluster)
        try await cluster.eventually("a leads") {
            let lease = try await cluster.fake.object(at: "/apis/coordination.k8s.io/v1/namespaces/triggergate/leases/triggergate")
            return ((lease?["spec"] as? [String: Any])?["holderIdentity"] as? String)?.isEmpty == false
        }
        let b = try serve(cluster)
        try await Task.sleep(for: .milliseconds(500))
        try await cluster.setPhase("first", "Succeeded", completionTime: "2026-11-29T06:00:01Z")
        try await cluster.eventually("the first job's trigger finished") { try await cluster.status("first")?.isFinished == true }
        let leaseBefore = try await cluster.fake.object(at: "/apis/coordination.k8s.io/v1/namespaces/triggergate/leases/triggergate")
        let leader = (leaseBefore?["spec"] as? [String: Any])?["holderIdentity"] as? String
        a.signal(SIGKILL)
        _ = await a.waitForExit()
        try await cluster.setPhase("second", "Succeeded", completionTime: "2026-11-29T06:00:02Z")
        try await cluster.eventually("the second job's trigger finished after the takeover", timeout: .seconds(30)) {
            try await cluster.status("second")?.isFinished == true
        }
        let lease = try await cluster.fake.object(at: "/apis/coordination.k8s.io/v1/namespaces/triggergate/leases/triggergate")
        let holder = (lease?["spec"] as? [String: Any])?["holderIdentity"] as? String
        #expect(holder != nil && holder != leader, "the lease did not change hands: \(holder ?? "none")")
        b.signal(SIGTERM)
        #expect(await b.waitForExit() == 0, "\(b.output)")
        #expect(try await requests(cluster, "PATCH", "/deployments/web") == 2, "a restart was repeated or skipped")
        let released = try await cluster.fake.object(at: "/apis/coordination.k8s.io/v1/namespaces/triggergate/leases/triggergate")
        #expect(((released?["spec"] as? [String: Any])?["holderIdentity"] as? String) == "", "the lease was not released on SIGTERM")
        await cluster.fake.stop()
    }
}
