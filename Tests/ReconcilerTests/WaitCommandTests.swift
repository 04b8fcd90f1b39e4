import Foundation
import TestSupport
import Testing

/// `triggergate wait` against the fake API server, through the real binary.
@Suite(.tags(.integration)) struct WaitCommandTests {
    func job(generation: Int, _ annotations: [String: String]) -> String {
        let object: [String: Any] = [
            "apiVersion": "mlops.mlops.dev/v1alpha1", "kind": "NotebookValidationJob",
            "metadata": ["name": "train", "namespace": "ml", "generation": generation, "annotations": annotations],
            "spec": ["notebook": ["path": "a.ipynb"]],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    func wait(_ fake: FakeAPIServer, timeout: String = "20s") throws -> ChildProcess {
        try ChildProcess(triggergateBinary.path, [
            "wait", "--kubeconfig", fake.kubeconfigPath, "--namespace", "ml", "--job", "train", "--timeout", timeout, "--interval", "100ms",
        ])
    }

    @Test func waitsForTheJobAndBelievesOnlyTheCurrentGeneration() async throws {
        let fake = try await FakeAPIServer.start(.init(tls: false))
        let waiter = try wait(fake)
        try await Task.sleep(for: .milliseconds(600))
        #expect(waiter.isRunning, "wait gave up on a job that does not exist yet: \(waiter.output)")
        try await fake.setObject(job(generation: 2, ["mlops.dev/wave-complete": "1", "mlops.dev/completion-generation": "1"]))
        try await Task.sleep(for: .milliseconds(600))
        #expect(waiter.isRunning, "wait believed a result of an older generation: \(waiter.output)")
        try await fake.setObject(job(generation: 2, ["mlops.dev/wave-complete": "1", "mlops.dev/completion-generation": "2"]))
        #expect(await waiter.waitForExit() == 0, "\(waiter.output)")
        #expect(waiter.output.contains("ml/train: waiting: the job does not exist yet"))
        #expect(waiter.output.contains("ml/train: wave-complete"))
        await fake.stop()
    }

    @Test func exitsOneOnFailureAndOnTimeout() async throws {
        let fake = try await FakeAPIServer.start(.init(tls: false))
        try await fake.setObject(job(generation: 1, ["mlops.dev/wave-failed": "1", "mlops.dev/completion-generation": "1"]))
        let failed = try wait(fake)
        #expect(await failed.waitForExit() == 1)
        #expect(failed.output.contains("ml/train: wave-failed"), "\(failed.output)")
        try await fake.setObject(job(generation: 1, [:]))
        let timedOut = try wait(fake, timeout: "500ms")
        #expect(await timedOut.waitForExit() == 1)
        #expect(timedOut.output.contains("gave up after 500ms"), "\(timedOut.output)")
        await fake.stop()
    }
}
