import Testing
import TestSupport

/// `deploy/` and the chart grant the same RBAC, and the request-to-grant mapping the reconciler's e2e tests use is right.
@Suite struct RBACTests {
    @Test func requestsMapToTheGrantsTheAuthorizerChecks() {
        let cases: [(String, String, RBACGrant?)] = [
            ("GET", "/apis/mlops.mlops.dev/v1alpha1/notebookvalidationjobs?limit=500",
             RBACGrant(verb: "list", apiGroup: "mlops.mlops.dev", resource: "notebookvalidationjobs")),
            ("GET", "/apis/mlops.mlops.dev/v1alpha1/notebookvalidationjobs?watch=true&resourceVersion=7",
             RBACGrant(verb: "watch", apiGroup: "mlops.mlops.dev", resource: "notebookvalidationjobs")),
            ("PATCH", "/apis/mlops.mlops.dev/v1alpha1/namespaces/ml/notebookvalidationjobs/train",
             RBACGrant(verb: "patch", apiGroup: "mlops.mlops.dev", resource: "notebookvalidationjobs")),
            ("POST", "/api/v1/namespaces/ml/pods/p-1/eviction", RBACGrant(verb: "create", apiGroup: "", resource: "pods/eviction")),
            ("GET", "/api/v1/namespaces/ml/pods?labelSelector=a%3Db", RBACGrant(verb: "list", apiGroup: "", resource: "pods")),
            ("GET", "/api/v1/namespaces/ml", RBACGrant(verb: "get", apiGroup: "", resource: "namespaces")),
            ("GET", "/api/v1/namespaces", RBACGrant(verb: "list", apiGroup: "", resource: "namespaces")),
            ("PUT", "/apis/coordination.k8s.io/v1/namespaces/triggergate/leases/triggergate",
             RBACGrant(verb: "update", apiGroup: "coordination.k8s.io", resource: "leases")),
            ("POST", "/api/v1/namespaces/ml/events", RBACGrant(verb: "create", apiGroup: "", resource: "events")),
            ("GET", "/apis/apps/v1/watch/namespaces/ml/deployments", RBACGrant(verb: "watch", apiGroup: "apps", resource: "deployments")),
            ("DELETE", "/api/v1/namespaces/ml/pods", RBACGrant(verb: "deletecollection", apiGroup: "", resource: "pods")),
            ("GET", "/api/v1", nil),
            ("GET", "/apis/apps/v1", nil),
            ("GET", "/version", nil),
        ]
        for (method, path, expected) in cases {
            #expect(RBACGrant(method: method, path: path) == expected, "\(method) \(path)")
        }
    }

    @Test(.tags(.integration)) func kustomizeAndHelmGrantTheSame() async throws {
        let rbac = try await renderDeployRBAC()
        #expect(rbac.kustomize == rbac.helm, "only in deploy/: \(rbac.kustomize.subtracting(rbac.helm).sorted()); only in the chart: \(rbac.helm.subtracting(rbac.kustomize).sorted())")
        #expect(rbac.kustomize.contains(RBACGrant(verb: "create", apiGroup: "", resource: "pods/eviction")))
        #expect(!rbac.kustomize.contains { $0.verb == "*" || $0.resource == "*" || $0.apiGroup == "*" })
    }

    @Test(.tags(.integration)) func extraRefreshResourcesAreGrantedGetAndPatchOnly() async throws {
        let plain = try await renderDeployRBAC()
        let extra = RBACResource(apiGroup: "example.com", resource: "widgets")
        let rbac = try await renderDeployRBAC(refreshResources: [extra])
        let added = Set(["get", "patch"].map { RBACGrant(verb: $0, apiGroup: "example.com", resource: "widgets") })
        #expect(rbac.kustomize == plain.kustomize.union(added))
        #expect(rbac.helm == plain.helm.union(added))
    }
}
