import Kube
import Testing

struct ResourceTypeTests {
    @Test func paths() {
        #expect(ResourceType.notebookValidationJobs.path() == "/apis/mlops.mlops.dev/v1alpha1/notebookvalidationjobs")
        #expect(ResourceType.notebookValidationJobs.path(namespace: "ml", name: "a", subresource: "status")
            == "/apis/mlops.mlops.dev/v1alpha1/namespaces/ml/notebookvalidationjobs/a/status")
        #expect(ResourceType.pods.path(namespace: "ml", name: "p", subresource: "eviction") == "/api/v1/namespaces/ml/pods/p/eviction")
        #expect(ResourceType.namespaces.path(namespace: "ignored", name: "ml") == "/api/v1/namespaces/ml")
        #expect(ResourceType.subjectAccessReviews.path() == "/apis/authorization.k8s.io/v1/subjectaccessreviews")
    }
}
