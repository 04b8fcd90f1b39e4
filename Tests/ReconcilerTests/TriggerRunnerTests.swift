import Kube
import Admission
import Foundation
import Logging
import Reconciler
import Testing

/// The runner against an in-memory API: every action once, idempotent repeats, retries, consent, conflicts.
@Suite struct TriggerRunnerTests {
    static let jobPath = "/apis/mlops.mlops.dev/v1alpha1/namespaces/ml/notebookvalidationjobs/train"
    static let deployPath = "/apis/apps/v1/namespaces/ml/deployments/web"
    static let appPath = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/ml-app"
    static let isvcPods = "/api/v1/namespaces/ml/pods"

    static let triggers = [
        Trigger(apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: nil, action: .restart),
        Trigger(apiVersion: "serving.kserve.io/v1beta1", kind: "InferenceService", name: "model", namespace: nil, action: .restart),
        Trigger(apiVersion: "argoproj.io/v1alpha1", kind: "Application", name: "ml-app", namespace: "argocd", action: .sync),
        Trigger(apiVersion: "argoproj.io/v1alpha1", kind: "Application", name: "ml-app", namespace: "argocd", action: .refresh),
        Trigger(apiVersion: "serving.kserve.io/v1beta1", kind: "InferenceService", name: "model", namespace: nil, action: .refresh),
    ]

    func cluster(triggers: [Trigger] = triggers, podsCreated: String = "2026-01-01T00:00:00Z") throws -> MemoryCluster {
        let cluster = MemoryCluster()
        let annotation = String(decoding: try JSONEncoder().encode(triggers), as: UTF8.self)
        cluster.put(Self.jobPath, [
            "apiVersion": "mlops.mlops.dev/v1alpha1", "kind": "NotebookValidationJob",
            "metadata": ["name": "train", "namespace": "ml", "uid": "u-1", "generation": 2, "annotations": ["mlops.dev/on-success-trigger": annotation]],
            "status": ["phase": "Succeeded", "completionTime": "2026-11-29T06:00:00Z"],
        ])
        cluster.put(Self.deployPath, ["metadata": ["name": "web", "namespace": "ml"], "spec": ["replicas": 1]])
        cluster.put(Self.appPath, ["metadata": ["name": "ml-app", "namespace": "argocd"], "spec": [:]])
        cluster.put("/api/v1/namespaces/argocd", ["metadata": ["name": "argocd", "annotations": ["mlops.dev/trigger-sources": "team-a, ml"]]])
        cluster.put("/apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices/model", ["metadata": ["name": "model", "namespace": "ml"]])
        for pod in ["model-a", "model-b"] {
            cluster.put("\(Self.isvcPods)/\(pod)", ["metadata": [
                "name": pod, "namespace": "ml", "creationTimestamp": podsCreated, "labels": ["serving.kserve.io/inferenceservice": "model"],
            ]])
        }
        return cluster
    }

    func runner(_ cluster: MemoryCluster, deadline: Duration = .seconds(600)) -> TriggerRunner {
        TriggerRunner(
            api: cluster,
            settings: .init(deadline: deadline, backoff: Backoff(base: .milliseconds(1), cap: .milliseconds(2)), instance: "test"),
            logger: Logger(label: "test"))
    }

    func job(_ cluster: MemoryCluster) async throws -> Job {
        let object = try #require(cluster.object(Self.jobPath))
        return try #require(Job(body: Array(JSONSerialization.data(withJSONObject: object))))
    }

    func status(_ cluster: MemoryCluster) async throws -> TriggerStatus {
        try #require(TriggerStatus(annotation: try await job(cluster).annotation("mlops.dev/trigger-status")))
    }

    @Test func aSuccessFiresEveryTriggerOnceAndRecordsIt() async throws {
        let cluster = try cluster()
        let runner = runner(cluster)
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        let status = try await status(cluster)
        #expect(status.triggers.map(\.state) == Array(repeating: .Succeeded, count: 5), "\(status.annotation)")
        #expect(status.run == "2026-11-29T06:00:00Z")
        let at = try #require(status.triggers[0].at)
        let deployment = try #require(cluster.object(Self.deployPath))
        #expect(((deployment["spec"] as? [String: Any])?["template"] as? [String: Any]).flatMap { ($0["metadata"] as? [String: Any])?["annotations"] as? [String: String] }
            == ["kubectl.kubernetes.io/restartedAt": at])
        #expect(cluster.object("\(Self.isvcPods)/model-a") == nil)
        #expect(cluster.object("\(Self.isvcPods)/model-b") == nil)
        let app = try #require(cluster.object(Self.appPath))
        #expect(((app["operation"] as? [String: Any])?["info"] as? [[String: String]]) == [["name": "triggergate-run", "value": "2026-11-29T06:00:00Z"]])
        #expect(((app["metadata"] as? [String: Any])?["annotations"] as? [String: String])?["argocd.argoproj.io/refresh"] == "normal")
        let writes = cluster.writes
        let actions = writes.filter { !$0.path.contains("notebookvalidationjobs") && !$0.path.hasSuffix("/events") }.map { "\($0.method) \($0.path)" }
        // Targets are worked on at once, so only the order within one target is fixed.
        #expect(actions.sorted() == [
            "PATCH \(Self.deployPath)",
            "POST \(Self.isvcPods)/model-a/eviction", "POST \(Self.isvcPods)/model-b/eviction",
            "PATCH \(Self.appPath)", "PATCH \(Self.appPath)",
            "PATCH /apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices/model",
        ].sorted())
        #expect(actions.filter { $0.contains("/model") } == [
            "POST \(Self.isvcPods)/model-a/eviction", "POST \(Self.isvcPods)/model-b/eviction",
            "PATCH /apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices/model",
        ])
        #expect(writes.filter { $0.path == Self.appPath }.map { String(decoding: $0.body ?? [], as: UTF8.self).contains(#""operation""#) } == [true, false],
                "the sync was not made before the refresh of the same Application")
        #expect(writes.filter { $0.path == Self.jobPath }.count == 2, "the run took more than its claim and one write of every result")
        let events = writes.filter { $0.path == "/api/v1/namespaces/ml/events" }.map { String(decoding: $0.body ?? [], as: UTF8.self) }
        #expect(events.count == 6 && events.filter { $0.contains(#""reason":"TriggerSucceeded""#) }.count == 5, "\(events)")
        #expect(events.contains { $0.contains(#""reason":"WaveComplete""#) && $0.contains("NotebookValidationJob ml/train succeeded: wave 0 is complete") })
        let annotations = try await job(cluster).metadata.annotations ?? [:]
        #expect(annotations["mlops.dev/wave-complete"] == "0" && annotations["mlops.dev/completion-generation"] == "2")

        cluster.clearRequests()
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        #expect(cluster.sent.isEmpty)
    }

    @Test func aRepeatedAttemptAfterACrashHasNoFurtherEffect() async throws {
        let cluster = try cluster()
        #expect(await runner(cluster).reconcile(try await job(cluster)) == .done)
        // New pods of the InferenceService appear after the run started; then every result record is lost, as if the
        // process died after each action and before recording it.
        cluster.put("\(Self.isvcPods)/model-c", ["metadata": [
            "name": "model-c", "namespace": "ml", "creationTimestamp": "2099-01-01T00:00:00Z", "labels": ["serving.kserve.io/inferenceservice": "model"],
        ]])
        var lost = try await status(cluster)
        for index in lost.triggers.indices { lost.triggers[index].state = .Pending }
        let deploymentBefore = try #require(cluster.object(Self.deployPath))
        let appBefore = try #require(cluster.object(Self.appPath))
        let path = Self.jobPath
        _ = try await cluster.send(TriggerRequests.patchJob(namespace: "ml", name: "train", JobPatch.status(lost, of: try await job(cluster))))
        cluster.clearRequests()

        #expect(await runner(cluster).reconcile(try await job(cluster)) == .done)
        #expect(try await status(cluster).triggers.allSatisfy { $0.state == .Succeeded && $0.attempts == 1 })
        #expect(cluster.object("\(Self.isvcPods)/model-c") != nil, "a pod created after the run started was evicted")
        let writes = cluster.writes.filter { !$0.path.hasPrefix(path) && !$0.path.hasSuffix("/events") }
        #expect(!writes.contains { $0.path.hasSuffix("/eviction") })
        #expect(NSDictionary(dictionary: try #require(cluster.object(Self.deployPath))).isEqual(to: deploymentBefore), "restart changed the Deployment again")
        #expect(((try #require(cluster.object(Self.appPath)))["metadata"] as? [String: Any])?["resourceVersion"] as? String
            == (appBefore["metadata"] as? [String: Any])?["resourceVersion"] as? String, "sync or refresh changed the Application again")
    }

    /// Holds the Deployment's restart back until the Application's sync has been read, for at most two seconds, then
    /// answers it 503: the restart succeeds at its first attempt only when both are made at once.
    final class Rendezvous: APITransport {
        let cluster: MemoryCluster

        init(_ cluster: MemoryCluster) { self.cluster = cluster }

        func send(_ request: APIRequest) async throws -> APIResponse {
            if request.method == "PATCH", request.path == TriggerRunnerTests.deployPath {
                let deadline = ContinuousClock.now + .seconds(2)
                while !cluster.sent.contains(where: { $0.method == "GET" && $0.path == TriggerRunnerTests.appPath }) {
                    guard ContinuousClock.now < deadline else { return MemoryCluster.status(503) }
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            return try await cluster.send(request)
        }
    }

    @Test func triggersOnDifferentTargetsAreMadeAtOnce() async throws {
        let cluster = try cluster(triggers: [Self.triggers[0], Self.triggers[2]])
        let runner = TriggerRunner(api: Rendezvous(cluster), settings: .init(instance: "test"), logger: Logger(label: "test"))
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        let status = try await status(cluster)
        #expect(status.triggers.allSatisfy { $0.state == .Succeeded && $0.attempts == 1 }, "\(status.annotation)")
    }

    @Test func aTriggerWaitingForARetryHoldsBackTheRestOfItsTargetOnly() async throws {
        let cluster = try cluster(triggers: [Self.triggers[2], Self.triggers[3], Self.triggers[0]])
        cluster.put(Self.appPath, ["metadata": ["name": "ml-app", "namespace": "argocd"], "operation": ["sync": [:]]])
        let runner = runner(cluster)
        guard case .retry = await runner.reconcile(try await job(cluster)) else { Issue.record("no retry"); return }
        let waiting = try await status(cluster)
        #expect(waiting.triggers.map(\.state) == [.Pending, .Pending, .Succeeded], "\(waiting.annotation)")
        #expect(waiting.triggers.map(\.attempts) == [2, 1, 1], "\(waiting.annotation)")
        #expect(!(cluster.writes.contains { $0.path == Self.appPath }), "the refresh went ahead of the sync it follows")
        cluster.put(Self.appPath, ["metadata": ["name": "ml-app", "namespace": "argocd"], "status": [:]])
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        let done = try await status(cluster)
        #expect(done.triggers.map(\.state) == [.Succeeded, .Succeeded, .Succeeded] && done.triggers.map(\.attempts) == [2, 1, 1], "\(done.annotation)")
        #expect(cluster.writes.filter { $0.path == Self.deployPath }.count == 1, "the finished restart was made again")
    }

    @Test func aRefusedEvictionIsRetriedAndCounted() async throws {
        let cluster = try cluster(triggers: [Self.triggers[1]])
        let pdb = MemoryCluster.json(429, [
            "kind": "Status", "apiVersion": "v1", "status": "Failure", "message": "Cannot evict pod as it would violate the pod's disruption budget.",
            "reason": "TooManyRequests", "code": 429,
        ])
        cluster.queue("POST", "\(Self.isvcPods)/model-b/eviction", pdb)
        let runner = runner(cluster)
        guard case .retry = await runner.reconcile(try await job(cluster)) else { Issue.record("no retry"); return }
        let pending = try await status(cluster).triggers[0]
        #expect(pending.state == .Pending && pending.attempts == 2)
        #expect(pending.message?.contains("HTTP 429 TooManyRequests: Cannot evict pod") == true, "\(pending.message ?? "")")
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        let done = try await status(cluster).triggers[0]
        #expect(done.state == .Succeeded && done.attempts == 2)
        #expect(cluster.writes.filter { $0.path.hasSuffix("/eviction") }.count == 3)
    }

    @Test func aSyncWaitsWhileAnotherOperationRuns() async throws {
        let cluster = try cluster(triggers: [Self.triggers[2]])
        cluster.put(Self.appPath, ["metadata": ["name": "ml-app", "namespace": "argocd"], "operation": ["sync": [:]]])
        let runner = runner(cluster)
        guard case .retry = await runner.reconcile(try await job(cluster)) else { Issue.record("no retry"); return }
        #expect(!(cluster.writes.contains { $0.path == Self.appPath }), "a running operation was overwritten")
        #expect(try await status(cluster).triggers[0].message?.contains("an operation is already running") == true)
        cluster.put(Self.appPath, ["metadata": ["name": "ml-app", "namespace": "argocd"], "status": [:]])
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        #expect(try await status(cluster).triggers[0].state == .Succeeded)
    }

    @Test func aCrossNamespaceTargetNeedsConsent() async throws {
        let cluster = try cluster(triggers: [Self.triggers[3]])
        cluster.put("/api/v1/namespaces/argocd", ["metadata": ["name": "argocd", "annotations": ["mlops.dev/trigger-sources": "team-a"]]])
        #expect(await runner(cluster).reconcile(try await job(cluster)) == .done)
        let entry = try await status(cluster).triggers[0]
        #expect(entry.state == .Failed)
        #expect(entry.message?.contains("namespace argocd does not allow triggers from namespace ml: add ml (or *) to its annotation mlops.dev/trigger-sources") == true)
        #expect(!(cluster.writes.contains { $0.path == Self.appPath }))
        // The run's Events (WaveComplete, then this one) are written at once, so they may arrive in either order.
        let events = cluster.writes.filter { $0.path.hasSuffix("/events") }.map { String(decoding: $0.body ?? [], as: UTF8.self) }
        let event = events.first { $0.contains(#""reason":"TriggerFailed""#) }
        #expect(events.count == 2 && event?.contains(#""type":"Warning""#) == true, "\(events)")
    }

    @Test func aMissingTargetFailsAtOnceAndTheDeadlineEndsRetries() async throws {
        let missing = Trigger(apiVersion: "apps/v1", kind: "StatefulSet", name: "gone", namespace: nil, action: .restart)
        let cluster = try cluster(triggers: [missing, Self.triggers[0]])
        cluster.queue("PATCH", Self.deployPath, MemoryCluster.status(503))
        #expect(await runner(cluster, deadline: .zero).reconcile(try await job(cluster)) == .done)
        let status = try await status(cluster)
        #expect(status.triggers[0].state == .Failed && status.triggers[0].message?.contains("HTTP 404") == true)
        #expect(status.triggers[0].message?.contains("check the trigger's apiVersion, kind, namespace and name") == true)
        #expect(status.triggers[1].state == .Failed && status.triggers[1].message?.hasPrefix("gave up after 1 attempt(s)") == true, "\(status.annotation)")
    }

    @Test func aConflictOnTheJobIsReadAgainNotOverwritten() async throws {
        let cluster = try cluster(triggers: [Self.triggers[0]])
        cluster.queue("PATCH", Self.jobPath, MemoryCluster.status(409))
        #expect(await runner(cluster).reconcile(try await job(cluster)) == .done)
        #expect(try await status(cluster).triggers[0].state == .Succeeded)
        #expect(cluster.sent.contains { $0.method == "GET" && $0.path == Self.jobPath })
    }

    @Test func aJobThatRunsAgainLosesItsWaveAnnotationsAndThenRunsANewRun() async throws {
        let cluster = try cluster(triggers: [Self.triggers[0]])
        let runner = runner(cluster)
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        _ = try await cluster.send(TriggerRequests.patchJob(namespace: "ml", name: "train", .object([("status", .object([("phase", .string("ValidationRunning")), ("completionTime", .null)]))])))
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        let annotations = try await job(cluster).metadata.annotations ?? [:]
        #expect(annotations["mlops.dev/wave-complete"] == nil && annotations["mlops.dev/completion-time"] == nil)
        #expect(annotations["mlops.dev/trigger-status"] != nil)
        _ = try await cluster.send(TriggerRequests.patchJob(namespace: "ml", name: "train", .object([("status", .object([("phase", .string("Succeeded")), ("completionTime", .string("2026-11-29T07:00:00Z"))]))])))
        cluster.clearRequests()
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        #expect(try await status(cluster).run == "2026-11-29T07:00:00Z")
        #expect(cluster.writes.filter { $0.path == Self.deployPath }.count == 1)
    }

    @Test func anUnreadableTriggerAnnotationFailsTheRunOnceWithTheAdmissionMessage() async throws {
        let cluster = try cluster(triggers: [])
        _ = try await cluster.send(TriggerRequests.patchJob(namespace: "ml", name: "train", .object([("metadata", .object([("annotations", .object([
            ("mlops.dev/on-success-trigger", .string("- apiVersion: apps/v1\n  kind: Deployment\n  name: web\n  action: reboot\n")),
        ]))]))])))
        let runner = runner(cluster)
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        let status = try await status(cluster)
        #expect(status.triggers.isEmpty)
        #expect(status.message?.contains(#"action: Unsupported value: "reboot""#) == true, "\(status.annotation)")
        let events = cluster.writes.filter { $0.path.hasSuffix("/events") }.map { String(decoding: $0.body ?? [], as: UTF8.self) }
        #expect(events.count == 2 && events.filter { $0.contains(#""reason":"TriggerFailed""#) && $0.contains("no trigger ran") }.count == 1, "\(events)")
        #expect(await runner.reconcile(try await job(cluster)) == .done)
        #expect(cluster.writes.filter { $0.path.hasSuffix("/events") }.count == 2)
    }

    @Test func aRetryWaitsAtLeastAsLongAsRetryAfterAsks() async throws {
        let cluster = try cluster(triggers: [Self.triggers[0]])
        let throttled = MemoryCluster.status(429)
        cluster.queue("PATCH", Self.deployPath, APIResponse(status: 429, body: throttled.body, retryAfter: .seconds(7)))
        guard case .retry(let delay) = await runner(cluster).reconcile(try await job(cluster)) else { Issue.record("no retry"); return }
        #expect(delay >= .seconds(7))
    }
}
