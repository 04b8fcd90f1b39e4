import Foundation
import TestSupport
import Testing

/// The real `triggergate serve --kubeconfig` against the fake API server: captured AdmissionReviews are judged by
/// the requester's authority (SubjectAccessReview, answered by the fake's grants) and the target namespace's consent
/// (from the namespace watch cache), end to end over HTTPS (SPEC §4).
@Suite(.tags(.integration), .serialized) struct ServeAuthorityTests {
    static let controller = "system:serviceaccount:argocd:argocd-application-controller"

    struct Serving {
        let cluster: ClusterHarness
        let process: ChildProcess
        let port: UInt16

        /// POSTs a captured AdmissionReview to `/validate` and returns the decoded `response`.
        func validate(_ fixture: String) async throws -> [String: Any] {
            try await cluster.admit("\(fixture).validating", path: "/validate", port: port, server: process)
        }

        func message(_ response: [String: Any]) -> String? { (response["status"] as? [String: Any])?["message"] as? String }
        func code(_ response: [String: Any]) -> Int? { (response["status"] as? [String: Any])?["code"] as? Int }

        /// The SubjectAccessReviews the fake was asked, as their specs.
        func reviews() async throws -> [[String: Any]] {
            try await cluster.fake.requests().filter { $0.path.hasSuffix("/subjectaccessreviews") }.compactMap { request in
                (try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])?["spec"] as? [String: Any]
            }
        }

        func stop() async {
            process.signal(SIGTERM)
            _ = await process.waitForExit()
            await cluster.fake.stop()
        }
    }

    /// The fake with the fixtures' namespaces (argocd consents to ml-platform unless `consent` says otherwise) and
    /// `grants`, and `serve` once its namespace cache has synced.
    func start(grants: String, consent: String = "ml-platform") async throws -> Serving {
        let cluster = try await ClusterHarness.start()
        try await cluster.fake.setObjects("""
            [{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ml-platform"}},
             {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"argocd","annotations":{"mlops.dev/trigger-sources":"\(consent)"}}}]
            """)
        try await cluster.fake.configure(#"{"sar_grants": \#(grants)}"#)
        let (process, port, _) = try await cluster.serveAdmission()
        return Serving(cluster: cluster, process: process, port: port)
    }

    @Test func aRequesterWithoutTheRightIsDeniedAndOneWithItIsAdmitted() async throws {
        let serving = try await start(grants: "[]")
        let denied = try await serving.validate("08-create-as-serviceaccount-impersonated")
        #expect(denied["allowed"] as? Bool == false)
        #expect(serving.code(denied) == 403)
        #expect(serving.message(denied) == """
            metadata.annotations[mlops.dev/on-success-trigger][0]: Forbidden: user "\(Self.controller)" cannot patch \
            applications.argoproj.io "ml-platform-app" in namespace "argocd"
            """)
        let asked = try #require(try await serving.reviews().first)
        #expect(asked["user"] as? String == Self.controller)
        #expect(asked["groups"] as? [String] == ["system:serviceaccounts", "system:serviceaccounts:argocd", "system:authenticated"])
        let attributes = asked["resourceAttributes"] as? [String: String]
        #expect(attributes == ["namespace": "argocd", "verb": "patch", "group": "argoproj.io", "resource": "applications", "name": "ml-platform-app"])

        try await serving.cluster.fake.configure("""
            {"sar_grants": [{"subject": "group:system:serviceaccounts:argocd", "verb": "patch", "group": "argoproj.io",
                             "resource": "applications", "namespace": "argocd"}]}
            """)
        let admittedWithToken = try await serving.validate("09-update-as-serviceaccount-token")
        #expect(admittedWithToken["allowed"] as? Bool == true, "an unchanged trigger is not reviewed: \(admittedWithToken)")
        #expect(try await serving.reviews().count == 1, "the unchanged trigger of fixture 09 was reviewed")
        await serving.stop()
    }

    @Test func onlyTheNewTriggerOfAnUpdateIsReviewed() async throws {
        let serving = try await start(grants: #"[{"subject": "admin", "verb": "patch", "group": "apps", "resource": "deployments"}]"#)
        let response = try await serving.validate("02-update-kubectl-apply")
        #expect(response["allowed"] as? Bool == true, "\(response)")
        let asked = try await serving.reviews()
        #expect(asked.count == 1)
        #expect((asked.first?["resourceAttributes"] as? [String: String])?["name"] == "predictive-frontend")
        await serving.stop()
    }

    @Test func aTriggerIntoANamespaceWithoutConsentIsRefusedAtApply() async throws {
        let serving = try await start(grants: #"[{"subject": "group:system:masters", "verb": "*", "group": "*", "resource": "*", "subresource": "*"}]"#,
                                      consent: "ml")
        let response = try await serving.validate("01-create-kubectl-apply")
        #expect(serving.code(response) == 422)
        #expect(serving.message(response) == """
            metadata.annotations[mlops.dev/on-success-trigger][1]: Forbidden: namespace argocd does not allow triggers from namespace ml-platform: \
            add ml-platform (or *) to its annotation mlops.dev/trigger-sources
            """)
        await serving.stop()
    }

    @Test func whenTheAPIServerFailsTheReviewTheRequestIsDenied() async throws {
        let serving = try await start(grants: "[]")
        _ = try await serving.cluster.fake.injectFault(.init(method: "POST", path: "/subjectaccessreviews$", status: 500))
        let response = try await serving.validate("08-create-as-serviceaccount-impersonated")
        #expect(serving.code(response) == 403)
        let message = try #require(serving.message(response))
        #expect(message.hasPrefix(#"metadata.annotations[mlops.dev/on-success-trigger][0]: Forbidden: cannot check that user "\#(Self.controller)" may patch"#), "\(message)")
        #expect(message.hasSuffix("denied, since the check fails closed (try again)"), "\(message)")
        await serving.stop()
    }
}
