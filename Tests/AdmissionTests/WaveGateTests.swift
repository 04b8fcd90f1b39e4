import Admission
import Foundation
import Testing

/// The wave gate's decisions at `/gate` (SPEC §3), over a stub job cache.
struct WaveGateTests {
    /// A job in ml-platform blocking wave 4, of application `ml-app` by label or by tracking-id.
    static func job(_ name: String = "model-training", phase: String = "ValidationRunning", blockWave: String = "4", syncWave: String? = "3",
                    label: String? = "ml-app", tracking: String? = nil, namespace: String = "ml-platform") -> GateJob? {
        var annotations = [AnnotationKeys.blockWave: blockWave]
        if let syncWave { annotations[AnnotationKeys.syncWave] = syncWave }
        if let tracking { annotations[AnnotationKeys.trackingID] = tracking }
        return GateJob(namespace: namespace, name: name, labels: label.map { [AnnotationKeys.instanceLabel: $0] } ?? [:],
                       annotations: annotations, phase: phase)
    }

    struct Object {
        var operation = "CREATE"
        var kind = "Deployment"
        var apiVersion = "apps/v1"
        var name = "serve"
        var namespace = "ml-platform"
        var wave: String? = "4"
        var label: String? = "ml-app"
        var tracking: String?
        var user = "system:serviceaccount:argocd:argocd-application-controller"
        var subResource: String?
        var dryRun = false

        var body: [UInt8] {
            var annotations: [String: String] = [:]
            if let wave { annotations[AnnotationKeys.syncWave] = wave }
            if let tracking { annotations[AnnotationKeys.trackingID] = tracking }
            var metadata: [String: Any] = ["name": name, "namespace": namespace, "annotations": annotations]
            if let label { metadata["labels"] = [AnnotationKeys.instanceLabel: label, "app": "serve"] }
            let object: [String: Any] = ["apiVersion": apiVersion, "kind": kind, "metadata": metadata, "spec": [:] as [String: Any]]
            var request: [String: Any] = [
                "uid": "u-1", "operation": operation, "namespace": namespace, "dryRun": dryRun, "userInfo": ["username": user],
                "object": operation == "DELETE" ? NSNull() : object, "oldObject": operation == "CREATE" ? NSNull() : object,
            ]
            if let subResource { request["subResource"] = subResource }
            return [UInt8](try! JSONSerialization.data(withJSONObject: ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request]))
        }
    }

    func gate(_ object: Object, jobs: [GateJob?]? = [job()], exempt: [String] = []) async throws -> (ReviewResponse.Response, [GateResult]) {
        let results = ResultLog()
        let cluster = StubCluster(gateJobs: jobs.map { jobs in Dictionary(grouping: jobs.compactMap { $0 }, by: \.namespace) })
        let policy = AdmissionPolicy(controllerUsername: testPolicy.controllerUsername, allowedWriters: [], gateExempt: exempt)
        let reviewer = AdmissionReviewer(policy: policy, cluster: cluster) { results.append($0) }
        let response = try ReviewResponse(await reviewer.review(body: object.body, webhook: .gate)).response
        return (response, results.all)
    }

    @Test func eachAnswerHasItsResultAndARefusalIsToldWithItsJobsAndObject() async throws {
        let running = StubCluster(gateJobs: ["ml-platform": [Self.job()!, Self.job("eval", phase: "")!]])
        let reviewer = AdmissionReviewer(policy: testPolicy, cluster: running)
        #expect(await reviewer.answer(body: Object().body, webhook: .gate).result == .denied)
        #expect(await reviewer.answer(body: Object(wave: "3").body, webhook: .gate).result == .allowed)
        #expect(await reviewer.answer(body: Object(wave: "x").body, webhook: .gate).result == .warned)
        #expect(await reviewer.answer(body: Array("{}".utf8), webhook: .gate).result == .error)
        #expect(running.blocks.map { "\($0.wave) \($0.object) \($0.jobs.map(\.name))" } == [#"4 apps/v1 Deployment ml-platform/serve ["eval", "model-training"]"#])
        let unsynced = AdmissionReviewer(policy: testPolicy, cluster: StubCluster(gateJobs: nil))
        #expect(await unsynced.answer(body: Object().body, webhook: .gate).result == .warned)
    }

    @Test func aLaterWaveOfTheSameApplicationIsBlockedWhileTheJobRuns() async throws {
        let (response, results) = try await gate(Object())
        #expect(!response.allowed)
        #expect(response.status?.code == 403)
        #expect(response.status?.message == """
            wave 4 is blocked by NotebookValidationJob ml-platform/model-training (phase ValidationRunning); it opens when that job succeeds
            """)
        #expect(results == [.blocked])
    }

    @Test(arguments: ["5", "+4", "100"]) func anyWaveAtOrAboveTheBlockWaveIsBlocked(wave: String) async throws {
        var object = Object()
        object.wave = wave
        #expect(!(try await gate(object).0.allowed))
    }

    @Test func everyBlockingJobIsNamed() async throws {
        let jobs = [Self.job("b-train", phase: "Running"), Self.job("a-prep", phase: ""), Self.job("done", phase: "Succeeded")]
        let (response, _) = try await gate(Object(), jobs: jobs)
        #expect(response.status?.message == """
            wave 4 is blocked by NotebookValidationJob ml-platform/a-prep (no phase yet), \
            NotebookValidationJob ml-platform/b-train (phase Running); it opens when these jobs succeed
            """)
    }

    @Test func theGateOpensWhenTheJobSucceedsAndClosesWhenItRunsAgain() async throws {
        #expect(try await gate(Object(), jobs: [Self.job(phase: "Succeeded")]).0.allowed)
        #expect(!(try await gate(Object(), jobs: [Self.job(phase: "Running")]).0.allowed))
        #expect(try await gate(Object(), jobs: []).0.allowed, "a deleted job gates nothing")
    }

    @Test func earlierWavesOtherApplicationsAndOtherNamespacesAreNeverAffected() async throws {
        var earlier = Object()
        earlier.wave = "3"
        #expect(try await gate(earlier).0.allowed)
        var other = Object()
        other.label = "other-app"
        #expect(try await gate(other).0.allowed)
        var elsewhere = Object()
        elsewhere.namespace = "serving"
        #expect(try await gate(elsewhere).0.allowed)
    }

    @Test func bothTrackingMethodsTieAnObjectToTheJobsApplication() async throws {
        let tracked = Self.job(label: nil, tracking: "ml-app:mlops.mlops.dev/NotebookValidationJob:ml-platform/model-training")
        var byID = Object()
        byID.label = nil
        byID.tracking = "ml-app:apps/Deployment:ml-platform/serve"
        #expect(!(try await gate(byID, jobs: [tracked]).0.allowed))
        byID.tracking = "other:apps/Deployment:ml-platform/serve"
        #expect(try await gate(byID, jobs: [tracked]).0.allowed)
        var anyNamespace = byID
        anyNamespace.tracking = "team-a_ml-app:apps/Deployment:ml-platform/serve"
        let teamJob = Self.job(label: nil, tracking: "team-a_ml-app:mlops.mlops.dev/NotebookValidationJob:ml-platform/model-training")
        #expect(!(try await gate(anyNamespace, jobs: [teamJob]).0.allowed), "apps-in-any-namespace tracking ids")
        var unlabelled = Object()
        unlabelled.label = nil
        #expect(!(try await gate(unlabelled, jobs: [Self.job(label: nil)]).0.allowed), "a job with neither gates its namespace")
        #expect(try await gate(unlabelled).0.allowed, "an object of no application is not in the job's application")
    }

    @Test func deletesSubresourcesTheJobItselfAndObjectsWithoutAWaveAreNeverGated() async throws {
        var delete = Object()
        delete.operation = "DELETE"
        #expect(try await gate(delete).0.allowed)
        var status = Object()
        status.operation = "UPDATE"
        status.subResource = "status"
        #expect(try await gate(status).0.allowed)
        var itself = Object()
        itself.kind = "NotebookValidationJob"
        itself.apiVersion = "mlops.mlops.dev/v1alpha1"
        itself.name = "model-training"
        #expect(try await gate(itself).0.allowed)
        var noWave = Object()
        noWave.wave = nil
        #expect(try await gate(noWave).0.allowed)
    }

    @Test func dryRunIsJudgedTheSame() async throws {
        var dryRun = Object()
        dryRun.dryRun = true
        #expect(!(try await gate(dryRun).0.allowed))
    }

    @Test(arguments: [
        ("system:serviceaccount:triggergate:triggergate", [String]()), ("system:kube-controller-manager", []),
        ("system:serviceaccount:kube-system:replicaset-controller", []), ("system:node:worker-1", []),
        ("ci-bot", ["ci-bot"]), ("system:serviceaccount:flux:kustomize", ["system:serviceaccount:flux:*"]),
    ])
    func exemptIdentitiesAreNeverGated(user: String, exempt: [String]) async throws {
        var object = Object()
        object.user = user
        #expect(try await gate(object, exempt: exempt).0.allowed)
        object.user = "alice"
        #expect(!(try await gate(object, exempt: exempt).0.allowed), "the exemption leaked to another user")
    }

    @Test func malformedWavesGateNothingOrWarn() async throws {
        #expect(Self.job(blockWave: "four") == nil, "a malformed block-wave gates nothing")
        #expect(Self.job(syncWave: "x") == nil, "a malformed sync-wave on the job gates nothing")
        #expect(Self.job(blockWave: "3", syncWave: "3") == nil, "a block-wave not above the job's own wave gates nothing")
        var object = Object()
        object.wave = "4.5"
        let (response, _) = try await gate(object)
        #expect(response.allowed)
        #expect(response.warnings == [#"argocd.argoproj.io/sync-wave "4.5" is not a decimal int32; the wave gate did not check this object"#])
    }

    @Test func anUnsyncedCacheAllowsWithAWarning() async throws {
        let (response, results) = try await gate(Object(), jobs: nil)
        #expect(response.allowed)
        #expect(response.warnings == ["the wave gate's job cache has not synced yet; this object was not checked"])
        #expect(results == [.unsynced])
    }

    @Test func withoutAClusterNothingIsGated() async throws {
        let results = ResultLog()
        let reviewer = AdmissionReviewer(policy: testPolicy, cluster: nil) { results.append($0) }
        #expect(try ReviewResponse(await reviewer.review(body: Object().body, webhook: .gate)).response.allowed)
        #expect(results.all == [.allowed], "an answer of /gate without a cluster counts as an allowed decision")
    }
}

/// The gate results a reviewer reported.
final class ResultLog: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [GateResult] = []
    func append(_ result: GateResult) { lock.withLock { results.append(result) } }
    var all: [GateResult] { lock.withLock { results } }
}
