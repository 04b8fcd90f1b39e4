import Kube
import Admission
import Reconciler
import Testing

/// The requests each action sends are the ones captured from a real API server (fixtures/kube-api).
@Suite struct TriggerRequestsTests {
    private func target(_ apiVersion: String, _ kind: String, _ name: String, _ namespace: String, _ action: TriggerAction) -> TriggerTarget {
        TriggerTarget(Trigger(apiVersion: apiVersion, kind: kind, name: name, namespace: namespace, action: action), jobNamespace: "ml-platform")
    }

    @Test func restartOfADeploymentIsKubectlRolloutRestart() throws {
        let request = TriggerRequests.restartWorkload(
            target("apps/v1", "Deployment", "predictive-frontend", "ml-platform", .restart), plural: "deployments", restartedAt: "2026-11-29T06:10:00Z")
        #expect(try CapturedRequest("75").matches(request), "\(request)")
    }

    @Test func refreshOfAnApplicationSetsTheArgoAnnotation() throws {
        let request = TriggerRequests.refreshApplication(target("argoproj.io/v1alpha1", "Application", "ml-platform-app", "argocd", .refresh))
        #expect(try CapturedRequest("81").matches(request), "\(request)")
    }

    @Test func refreshOfAnotherKindSetsRefreshedAt() throws {
        let request = TriggerRequests.refresh(
            target("serving.kserve.io/v1beta1", "InferenceService", "predictive-analytics", "ml-platform", .refresh),
            plural: "inferenceservices", namespaced: true, refreshedAt: "2026-11-29T06:10:00Z")
        #expect(try CapturedRequest("85").matches(request), "\(request)")
    }

    @Test func inferenceServicePodsAreListedByLabel() throws {
        let request = TriggerRequests.listInferenceServicePods(target("serving.kserve.io/v1beta1", "InferenceService", "predictive-analytics", "ml-platform", .restart))
        #expect(try CapturedRequest("66").matches(request), "\(request)")
    }

    @Test func evictionUsesTheDiscoveredGroupVersion() throws {
        let list = try #require(APIResourceList(body: try CapturedRequest.responseBody("03")))
        #expect(list.evictionGroupVersion == "policy/v1beta1")
        let request = TriggerRequests.evict(pod: "predictive-analytics-predictor-a", namespace: "ml-platform", evictionGroupVersion: list.evictionGroupVersion)
        #expect(try CapturedRequest("67").matches(request), "\(request)")
    }

    @Test func syncSetsATaggedOperationGuardedByTheVersionRead() throws {
        let captured = try CapturedRequest("80")
        let request = TriggerRequests.sync(target("argoproj.io/v1alpha1", "Application", "ml-platform-app", "argocd", .sync), run: "2026-11-29T06:09:58Z", resourceVersion: "263")
        #expect(request.method == captured.method && request.path == captured.path && request.contentType == captured.contentType)
        #expect(String(decoding: request.body ?? [], as: UTF8.self)
            == #"{"metadata":{"resourceVersion":"263"},"operation":{"initiatedBy":{"username":"triggergate"},"info":[{"name":"triggergate-run","value":"2026-11-29T06:09:58Z"}],"sync":{"syncStrategy":{"hook":{}}}}}"#)
    }

    @Test func discoveryFindsAKindsResourceAndScope() throws {
        let list = try #require(APIResourceList(body: try CapturedRequest.responseBody("08")))
        let resource = try #require(list.resource(kind: "InferenceService"))
        #expect(resource.name == "inferenceservices" && resource.namespaced)
        #expect(list.resource(kind: "Deployment") == nil)
    }

    @Test func anEventHasTheShapeTheAPIServerAccepted() throws {
        let job = Job(
            metadata: .init(name: "data-prep", namespace: "ml-platform", uid: "7819a2f5-6989-4418-a7ba-ba6770b1470e", resourceVersion: "184"),
            status: nil)
        let request = EventBody.request(
            job: job, reason: .TriggerSucceeded,
            message: "refresh argoproj.io/v1alpha1 Application argocd/ml-platform-app: annotation argocd.argoproj.io/refresh=normal set",
            now: try #require(Timestamp(rfc3339: "2026-11-29T06:10:05Z")), unique: 0x187c5f6a1b2c3d4e, instance: "triggergate-7d9f8b6c4-x2k9p")
        #expect(try CapturedRequest("62").matches(request), "\(request)")
    }

    @Test func aFailureEventIsAWarning() throws {
        let job = Job(metadata: .init(name: "j", namespace: "n"), status: nil)
        let request = EventBody.request(job: job, reason: .TriggerFailed, message: "m", now: Timestamp(seconds: 0), unique: 255, instance: "i")
        let body = String(decoding: request.body ?? [], as: UTF8.self)
        #expect(body.contains(#""name":"j.ff""#) && body.contains(#""type":"Warning""#) && body.contains(#""reason":"TriggerFailed""#))
        #expect(request.path == "/api/v1/namespaces/n/events")
    }
}
