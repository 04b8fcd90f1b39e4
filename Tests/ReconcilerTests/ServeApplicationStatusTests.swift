import Foundation
import Kube
import TestSupport
import Testing

/// The real `triggergate serve` against the fake API server (SPEC §7): a job that fails puts `Failed` and a summary
/// naming its failing cell on its Application within about a second; a rerun that succeeds turns them to `Succeeded`;
/// the Events and `/metrics` (parsed by prometheus_client, every family with `# HELP`) say the same.
@Suite(.tags(.integration)) struct ServeApplicationStatusTests {
    static let application = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/ml-app"

    func notebookAnnotations(_ cluster: ClusterHarness) async throws -> [String: String] {
        let object = try await cluster.fake.object(at: Self.application)
        let annotations = (object?["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
        return annotations.filter { $0.key.hasPrefix("mlops.dev/notebook-") }
    }

    func events(_ cluster: ClusterHarness) async throws -> [FakeRequest] {
        try await cluster.fake.requests().filter { $0.resource == "events" && ($0.verb == "create" || $0.verb == "patch") }
    }

    @Test func aFailedJobMarksItsApplicationAndASucceedingRerunClearsIt() async throws {
        let cluster = try await ClusterHarness.start()
        var job = try JSONSerialization.jsonObject(with: Data(ClusterHarness.job(
            "train", phase: "ValidationRunning", triggers: "[{apiVersion: apps/v1, kind: Deployment, name: web, action: restart}]").utf8)) as! [String: Any]
        var metadata = job["metadata"] as! [String: Any]
        metadata["labels"] = ["app.kubernetes.io/instance": "ml-app"]
        job["metadata"] = metadata
        try await cluster.fake.setObject(String(decoding: try JSONSerialization.data(withJSONObject: job), as: UTF8.self))
        let (server, _, health) = try await cluster.serveAdmission()
        func metrics() async throws -> String { try await run("curl", ["-s", "http://127.0.0.1:\(health)/metrics"]).stdout }
        try await cluster.eventually("this replica leads and wrote Running") {
            try await notebookAnnotations(cluster)["mlops.dev/notebook-status"] == "Running"
        }
        #expect(try await notebookAnnotations(cluster)["mlops.dev/notebook-summary"] == "0/1 succeeded, 1 running")

        // Past the one-patch-a-second window of that write, so that the time measured is the reaction to the failure.
        try await Task.sleep(for: .seconds(1))
        let failedAt = ContinuousClock.now
        try await cluster.client.mergePatch(.notebookValidationJobs, namespace: "ml", name: "train", subresource: "status", patch: .object([
            ("status", .object([("phase", "Failed"), ("message", "cell 4 raised"), ("results", .array([
                .object([("cellIndex", 3), ("status", "Success")]),
                .object([("cellIndex", 4), ("status", "Failure"), ("errorMessage", "KeyError: 'x'\nTraceback (most recent call last): ...")]),
            ]))])),
        ]))
        try await cluster.eventually("the Application shows the failure", timeout: .seconds(5)) {
            try await notebookAnnotations(cluster)["mlops.dev/notebook-status"] == "Failed"
        }
        let took = ContinuousClock.now - failedAt
        #expect(took < .milliseconds(1500), "the Application showed the failure after \(took)")
        #expect(try await notebookAnnotations(cluster)["mlops.dev/notebook-summary"] == "0/1 succeeded, 1 failed: ml/train (cell 4: KeyError: 'x')")
        try await cluster.eventually("a WaveFailed Event") {
            try await events(cluster).contains { $0.body.contains(#""reason":"WaveFailed""#) && $0.body.contains("ml/train (cell 4: KeyError: 'x') failed: wave 2 failed") }
        }

        try await cluster.setPhase("train", "ValidationRunning")
        try await cluster.eventually("the rerun shows as Running") { try await notebookAnnotations(cluster)["mlops.dev/notebook-status"] == "Running" }
        try await cluster.setPhase("train", "Succeeded", completionTime: "2026-12-07T10:00:00Z")
        try await cluster.eventually("the Application shows the success") {
            try await notebookAnnotations(cluster) == ["mlops.dev/notebook-status": "Succeeded", "mlops.dev/notebook-summary": "1/1 succeeded"]
        }
        try await cluster.eventually("WaveComplete and TriggerSucceeded Events") {
            let bodies = try await events(cluster).map(\.body)
            return bodies.contains { $0.contains(#""reason":"WaveComplete""#) } && bodies.contains { $0.contains(#""reason":"TriggerSucceeded""#) }
        }
        let patches = try await cluster.fake.requests().filter { $0.path == Self.application && $0.verb == "patch" }
        #expect(patches.count == 4, "Running, Failed, Running, Succeeded: one patch each\n\(patches.map(\.body))")

        let families = try await parsePrometheusText(try await metrics())
        #expect(families.filter(\.help.isEmpty).map(\.name) == [], "families without # HELP")
        func value(_ family: String, _ labels: [String: String]) -> Double? {
            families.first { $0.name == family }?.samples.first { $0.labels == labels && !$0.name.hasSuffix("_created") }?.value
        }
        #expect(value("triggergate_application_status_writes", ["result": "written"]) == 4)
        #expect(value("triggergate_events", ["reason": "WaveFailed"]) == 1)
        #expect(value("triggergate_events", ["reason": "WaveComplete"]) == 1)
        #expect(value("triggergate_triggers", ["action": "restart", "result": "succeeded"]) == 1)
        #expect(value("triggergate_watch_objects", ["resource": "notebookvalidationjobs"]) == 1)
        #expect(value("triggergate_watch_synced", ["resource": "notebookvalidationjobs"]) == 1)
        #expect(value("triggergate_leader", [:]) == 1)

        try await cluster.client.delete(.notebookValidationJobs, namespace: "ml", name: "train")
        try await cluster.eventually("both keys are removed with the last job") { try await notebookAnnotations(cluster).isEmpty }
        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0, "\(server.output)")
        await cluster.fake.stop()
    }
}
