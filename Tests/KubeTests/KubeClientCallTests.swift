import Kube
import Testing
import TestSupport

/// Typed calls and error decoding against the fake API server.
@Suite(.tags(.integration))
struct KubeClientCallTests {
    @Test func conflictsAndFailedTests() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let kube = try fake.client()
        let created = try await kube.create(.notebookValidationJobs, namespace: "ml", object: try JSONValue(parsing: Array(FakeAPIServer.job("a").utf8)))
        let version = try #require(created["metadata", "resourceVersion"]?.stringValue)
        try await kube.mergePatch(.notebookValidationJobs, namespace: "ml", name: "a",
                                  patch: ["metadata": ["resourceVersion": .string(version), "annotations": ["k": "1"]]])
        let stale = try await #require(throws: KubeError.self) {
            try await kube.mergePatch(.notebookValidationJobs, namespace: "ml", name: "a",
                                      patch: ["metadata": ["resourceVersion": .string(version), "annotations": ["k": "2"]]])
        }
        #expect(stale.kind == .conflict && !stale.isAlreadyExists && stale.isTemporary)
        let exists = try await #require(throws: KubeError.self) {
            try await kube.create(.notebookValidationJobs, namespace: "ml", object: try JSONValue(parsing: Array(FakeAPIServer.job("a").utf8)))
        }
        #expect(exists.isAlreadyExists)
        let failedTest = try await #require(throws: KubeError.self) {
            try await kube.jsonPatch(.notebookValidationJobs, namespace: "ml", name: "a",
                                     operations: [.test(["metadata", "resourceVersion"], .string(version)), .remove(["metadata", "annotations", "k"])])
        }
        #expect(failedTest.kind == .invalid && failedTest.isFailedJSONPatchTest && failedTest.isTemporary)
        let job = try await kube.get(.notebookValidationJobs, namespace: "ml", name: "a")
        let current = try #require(job["metadata", "resourceVersion"])
        let patched = try await kube.jsonPatch(.notebookValidationJobs, namespace: "ml", name: "a",
                                               operations: [.test(["metadata", "resourceVersion"], current), .remove(["metadata", "annotations", "k"])])
        #expect(patched["metadata", "annotations", "k"] == nil)
        let missing = try await #require(throws: KubeError.self) { try await kube.get(.deployments, namespace: "ml", name: "none") }
        #expect(missing.kind == .notFound && !missing.isTemporary)
        #expect(missing.description.contains(#"deployments.apps "none" not found"#))
    }

    @Test func injectedFaults() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        // Only the slow-answer case wants a short deadline; the others must not race one on a loaded machine.
        let kube = try fake.client()
        let impatient = try fake.client(requestTimeout: .milliseconds(500))
        try await fake.injectFault(FakeFault(method: "GET", path: "pods$", status: 429, retryAfter: 3))
        let throttled = try await #require(throws: KubeError.self) { try await kube.list(.pods, namespace: "ml") }
        #expect(throttled.kind == .tooManyRequests && throttled.retryAfter == .seconds(3) && throttled.isTemporary)

        try await fake.injectFault(FakeFault(method: "GET", path: "pods$", status: 500))
        let failed = try await #require(throws: KubeError.self) { try await kube.list(.pods, namespace: "ml") }
        #expect(failed.kind == .serverError && failed.statusCode == 500 && failed.isTemporary)

        try await fake.injectFault(FakeFault(method: "GET", path: "pods$", delay: 2))
        let start = ContinuousClock.now
        let slow = try await #require(throws: KubeError.self) { try await impatient.list(.pods, namespace: "ml") }
        #expect(slow.kind == .timeout && slow.isTemporary)
        #expect(ContinuousClock.now - start < .seconds(2))

        // A new client: a drop on a reused connection is retried once for an idempotent GET, which would hide the fault.
        let fresh = try fake.client()
        try await fake.injectFault(FakeFault(method: "GET", path: "pods$", drop: true))
        let dropped = try await #require(throws: KubeError.self) { try await fresh.list(.pods, namespace: "ml") }
        #expect(dropped.kind == .transport)
        #expect(try await kube.list(.pods, namespace: "ml").items.isEmpty)
    }

    @Test func keepAliveAndHeaders() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let kube = try fake.client()
        for _ in 0..<5 { _ = try? await kube.get(.namespaces, namespace: nil, name: "ml") }
        try await fake.setObject(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ml"},"spec":{}}"#)
        try await kube.mergePatch(.deployments, namespace: "ml", name: "web", patch: ["spec": ["paused": false]])
        let seen = try await fake.requests()
        #expect(Set(seen.map(\.peer)).count == 1)
        #expect(seen.allSatisfy { $0.userAgent == "triggergate/\(KubeConfig.version)" && $0.authorization == "Bearer test-token" })
        #expect(seen.last?.contentType == "application/merge-patch+json")
        #expect(seen.last?.body == #"{"spec":{"paused":false}}"#)
    }

    @Test func staleKeepAliveConnectionIsRetriedOnlyWhenIdempotent() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let kube = try fake.client()
        try await fake.setObject(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ml"},"spec":{}}"#)
        _ = try await kube.get(.deployments, namespace: "ml", name: "web")
        try await fake.injectFault(FakeFault(path: "/deployments/web$", drop: true))
        _ = try await kube.get(.deployments, namespace: "ml", name: "web")
        let gets = try await fake.requests()
        #expect(gets.count == 3 && gets[1].peer == gets[0].peer && gets[2].peer != gets[1].peer)

        try await fake.injectFault(FakeFault(path: "/deployments/web$", drop: true))
        let error = try await #require(throws: KubeError.self) {
            try await kube.mergePatch(.deployments, namespace: "ml", name: "web", patch: ["spec": ["paused": true]])
        }
        #expect(error.kind == .transport && error.isTemporary)
        #expect(try await fake.requests().filter { $0.method == "PATCH" }.count == 1)
    }

    @Test func rateLimitSpacesRequests() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let kube = try fake.client(qps: 20, burst: 2)
        let start = ContinuousClock.now
        for _ in 0..<6 { _ = try await kube.list(.pods, namespace: "ml") }
        #expect(ContinuousClock.now - start >= .milliseconds(190))
    }

    @Test func discoveryAndEviction() async throws {
        for modern in [false, true] {
            let fake = try await FakeAPIServer.start(.init(evictionV1: modern))
            defer { Task { await fake.stop() } }
            let kube = try fake.client()
            let version = try await kube.evictionGroupVersion()
            #expect(version == (modern ? "policy/v1" : "policy/v1beta1"))
            #expect(try await kube.resourceType(apiVersion: "apps/v1", kind: "Deployment") == .deployments)
            #expect(try await kube.resourceType(apiVersion: "v1", kind: "ConfigMap")
                == ResourceType(group: "", version: "v1", plural: "configmaps"))
            let unknown = try await #require(throws: KubeError.self) {
                try await kube.resourceType(apiVersion: "example.com/v1", kind: "Widget")
            }
            #expect(unknown.kind == .notFound)

            try await fake.setObject(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ml","labels":{"serving.kserve.io/inferenceservice":"isvc"}}}"#)
            let pods = try await kube.list(.pods, namespace: "ml", labelSelector: "serving.kserve.io/inferenceservice=isvc")
            #expect(pods.items.count == 1)
            try await fake.injectFault(FakeFault(path: "/eviction$", pdb: "violated"))
            let refused = try await #require(throws: KubeError.self) { try await kube.evict(pod: "p", namespace: "ml", groupVersion: version) }
            #expect(refused.kind == .tooManyRequests && refused.description.contains("disruption budget"))
            try await kube.evict(pod: "p", namespace: "ml", groupVersion: version)
            #expect(try await kube.list(.pods, namespace: "ml").items.isEmpty)
            let seen = try await fake.requests().filter { $0.resource == "pods/eviction" }
            #expect(seen.last?.body == #"{"apiVersion":"\#(version)","kind":"Eviction","metadata":{"name":"p","namespace":"ml"}}"#)
        }
    }

    @Test func leasesEventsAndReviews() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let kube = try fake.client()
        #expect(try await kube.lease(namespace: "tg", name: "leader") == nil)
        let now = KubeTime.microTime()
        var lease = try await kube.createLease(Lease(namespace: "tg", name: "leader", holderIdentity: "a", leaseDurationSeconds: 15,
                                                     acquireTime: now, renewTime: now, leaseTransitions: 0))
        let stale = lease
        lease.renewTime = KubeTime.microTime()
        lease = try await kube.updateLease(lease)
        #expect(try await kube.lease(namespace: "tg", name: "leader") == lease)
        let conflict = try await #require(throws: KubeError.self) { try await kube.updateLease(stale) }
        #expect(conflict.kind == .conflict)
        let exists = try await #require(throws: KubeError.self) { try await kube.createLease(stale) }
        #expect(exists.isAlreadyExists)
        var bad = lease
        bad.renewTime = "2026-11-29T05:45:00Z"
        await #expect(throws: KubeError.self) { try await kube.updateLease(bad) }

        let involved = KubeEvent.InvolvedObject(apiVersion: "mlops.mlops.dev/v1alpha1", kind: "NotebookValidationJob",
                                                namespace: "ml", name: "train", uid: "u-1")
        let event = try await kube.createEvent(KubeEvent(involvedObject: involved, reason: "TriggerSucceeded", message: "done"))
        #expect(event["metadata", "name"]?.stringValue?.hasPrefix("train.") == true)
        let review = try await kube.review(SubjectAccessReview(user: "alice", groups: ["developers"], uid: "u-9",
                                                               extra: ["authentication.kubernetes.io/pod-name": ["none"]],
                                                               namespace: "ml", verb: "patch", group: "apps", resource: "deployments", name: "web"))
        #expect(review.allowed)
        let asked = try await fake.requests().last { $0.path.hasSuffix("/subjectaccessreviews") }
        #expect(asked?.body.contains(#""user":"alice","uid":"u-9","groups":["developers"],"extra":{"authentication.kubernetes.io/pod-name":["none"]}"#) == true,
                "\(asked?.body ?? "no review")")
        #expect(try await fake.rbac().contains(RBACGrant(verb: "create", apiGroup: "authorization.k8s.io", resource: "subjectaccessreviews")))
    }
}
