import Foundation
import Reconciler
import TestSupport
import Testing

/// Every (verb, resource) the reconciler, `wait` and admission (`serve`, reviewing a job with every kind of trigger)
/// use against the fake API server is granted by `deploy/` and the chart, and nothing they grant goes unused.
@Suite(.tags(.integration)) struct RBACCoverageTests {
    @Test func theRequestsOfEveryActionMatchTheDeployedRBAC() async throws {
        let cluster = try await ClusterHarness.start()
        try await cluster.fake.setObjects("""
            [{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"ml"},"spec":{"template":{"metadata":{}}}},
             {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","namespace":"ml"},"spec":{"template":{"metadata":{}}}}]
            """)
        let triggers = ClusterHarness.triggers + """

            - {apiVersion: apps/v1, kind: StatefulSet, name: db, action: restart}
            - {apiVersion: apps/v1, kind: DaemonSet, name: agent, action: restart}
            """
        try await cluster.fake.setObject(ClusterHarness.job("all", phase: "Pending", triggers: triggers))
        let service = cluster.service(identity: "a")
        let task = Task { try await service.run() }
        try await cluster.eventually("a leader is elected") { service.elector.isLeader && service.cache.isSynced }
        try await cluster.setPhase("all", "Succeeded", completionTime: "2026-11-29T06:00:00Z")
        try await cluster.eventually("every trigger finished") { try await cluster.status("all")?.isFinished == true }
        #expect(try await cluster.status("all")?.triggers.allSatisfy { $0.state == .Succeeded } == true)
        // A rerun that succeeds again repeats the WaveComplete Event: a patch of the first one.
        try await cluster.setPhase("all", "ValidationRunning")
        try await cluster.eventually("the wave annotations are removed") { try await cluster.annotations("all")["mlops.dev/wave-complete"] == nil }
        try await cluster.setPhase("all", "Succeeded", completionTime: "2026-11-29T07:00:00Z")
        try await cluster.eventually("the repeated Event is counted") {
            try await cluster.fake.requests().contains { $0.resource == "events" && $0.verb == "patch" }
        }
        task.cancel()
        _ = try? await task.value
        let waiter = try ChildProcess(triggergateBinary.path, [
            "wait", "--kubeconfig", cluster.fake.kubeconfigPath, "--namespace", "ml", "--job", "all", "--timeout", "10s",
        ])
        #expect(await waiter.waitForExit() == 0, "\(waiter.output)")
        try await reviewAtAdmission(triggers, cluster: cluster)

        let used = try await cluster.fake.rbac().filter { !$0.resource.hasSuffix("/status") }  // the test's own status writes stand in for the operator
        await cluster.fake.stop()
        let rbac = try await renderDeployRBAC(refreshResources: [RBACResource(apiGroup: "serving.kserve.io", resource: "inferenceservices")])
        for (source, granted) in [("deploy/", rbac.kustomize), ("chart/", rbac.helm)] {
            #expect(used.subtracting(granted).isEmpty, "used but not granted by \(source): \(used.subtracting(granted).sorted())")
            #expect(granted.subtracting(used).isEmpty, "granted by \(source) but never used: \(granted.subtracting(used).sorted())")
        }
    }

    /// `serve` admits a new job with `triggers`: its namespace cache, the SubjectAccessReviews and the existence checks.
    func reviewAtAdmission(_ triggers: String, cluster: ClusterHarness) async throws {
        let (server, port, _) = try await cluster.serveAdmission()
        let job = try JSONSerialization.jsonObject(with: Data(ClusterHarness.job("new", phase: "Pending", triggers: triggers).utf8))
        let review: [String: Any] = ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": [
            "uid": "u-1", "operation": "CREATE", "namespace": "ml", "userInfo": ["username": "jane", "groups": ["system:authenticated"]],
            "object": job, "oldObject": NSNull(),
        ]]
        let body = String(decoding: try JSONSerialization.data(withJSONObject: review), as: UTF8.self)
        let answer = try await run("curl", ["-sk", "-X", "POST", "--data-binary", body, "https://127.0.0.1:\(port)/validate"]).stdout
        #expect(answer.contains(#""allowed":true"#), "\(answer)\n\(server.output)")
        server.signal(SIGTERM)
        _ = await server.waitForExit()
    }
}
