import Foundation
import TestSupport
import Testing

/// The real `triggergate serve --kubeconfig` with the fake API server feeding its job cache: `/gate` refuses a wave-4
/// Deployment while the wave-3 job that blocks wave 4 runs (one `WaveBlocked` Event on the job however often it refuses),
/// and admits it once the job succeeds, with no restart (SPEC §3, §7).
@Suite(.tags(.integration)) struct ServeWaveGateTests {
    /// POSTs fixture 10 (a Deployment with sync-wave "5", as the API server sent it) to `/gate` and returns `response`.
    func gate(_ cluster: ClusterHarness, _ port: UInt16, server: ChildProcess) async throws -> [String: Any] {
        try await cluster.admit("10-deployment-create-with-sync-wave.validating", path: "/gate", port: port, server: server)
    }

    @Test func aLaterWaveWaitsForItsJobAndOpensWhenTheJobSucceeds() async throws {
        let cluster = try await ClusterHarness.start()
        let fixture = try JSONSerialization.jsonObject(with: Data(contentsOf: fixturesRoot.appendingPathComponent(
            "admission/10-deployment-create-with-sync-wave.validating.json"))) as? [String: Any]
        let deployment = try #require((fixture?["request"] as? [String: Any])?["object"] as? [String: Any])
        let metadata = try #require(deployment["metadata"] as? [String: Any])
        let namespace = try #require(metadata["namespace"] as? String)
        let labels = metadata["labels"] as? [String: String] ?? [:]
        var job: [String: Any] = [
            "apiVersion": "mlops.mlops.dev/v1alpha1", "kind": "NotebookValidationJob",
            "metadata": ["name": "model-training", "namespace": namespace,
                         "annotations": ["argocd.argoproj.io/sync-wave": "3", "mlops.dev/block-wave": "4"]] as [String: Any],
            "spec": ["notebook": ["path": "train.ipynb"]], "status": ["phase": "ValidationRunning"],
        ]
        if let instance = labels["app.kubernetes.io/instance"] {
            job["metadata"] = (job["metadata"] as! [String: Any]).merging(["labels": ["app.kubernetes.io/instance": instance]]) { $1 }
        }
        try await cluster.fake.setObjects(String(decoding: try JSONSerialization.data(withJSONObject: [
            ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": namespace]], job,
        ]), as: UTF8.self))
        let (server, port, health) = try await cluster.serveAdmission()
        try await cluster.eventually("the job cache synced") {
            (try await gate(cluster, port, server: server)["allowed"] as? Bool) == false
        }
        let blocked = try await gate(cluster, port, server: server)
        #expect((blocked["status"] as? [String: Any])?["code"] as? Int == 403)
        #expect((blocked["status"] as? [String: Any])?["message"] as? String == """
            wave 5 is blocked by NotebookValidationJob \(namespace)/model-training (phase ValidationRunning); it opens when that job succeeds
            """)

        for _ in 0..<3 { #expect(try await gate(cluster, port, server: server)["allowed"] as? Bool == false) }
        let events = { try await cluster.fake.requests().filter { $0.resource == "events" && $0.body.contains(#""reason":"WaveBlocked""#) } }
        try await cluster.eventually("a WaveBlocked Event") { try await !events().isEmpty }
        try await Task.sleep(for: .milliseconds(300))
        let blockedEvents = try await events()
        let eventWrites = try await cluster.fake.requests().filter { $0.resource == "events" }
        #expect(eventWrites.count == 1, "at most one per job and wave a minute, not even a repeat: \(eventWrites.map(\.body))")
        #expect(blockedEvents.first?.body.contains(
            "wave 5 is blocked for apps/v1 Deployment \(namespace)/\(metadata["name"] as? String ?? ""): NotebookValidationJob \(namespace)/model-training is in phase ValidationRunning") == true,
            "\(blockedEvents.map(\.body))")

        try await cluster.setPhase("model-training", namespace: namespace, "Succeeded", completionTime: "2026-12-07T10:00:00Z")
        try await cluster.eventually("the gate opened") { (try await gate(cluster, port, server: server)["allowed"] as? Bool) == true }
        try await cluster.setPhase("model-training", namespace: namespace, "ValidationRunning")
        try await cluster.eventually("the gate closed again for a rerun") { (try await gate(cluster, port, server: server)["allowed"] as? Bool) == false }

        let metrics = try await run("curl", ["-s", "http://127.0.0.1:\(health)/metrics"]).stdout
        #expect(metrics.contains(#"triggergate_gate_decisions_total{result="blocked"}"#), "\(metrics)")
        #expect(metrics.contains(#"triggergate_admission_requests_total{webhook="gate",result="denied",code="200"}"#), "\(metrics)")
        #expect(metrics.contains(#"triggergate_admission_requests_total{webhook="gate",result="allowed",code="200"}"#), "\(metrics)")
        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0, "\(server.output)")
        await cluster.fake.stop()
    }
}
