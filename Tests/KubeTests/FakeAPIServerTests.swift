import Foundation
import Testing
import TestSupport

/// The fake API server itself, driven with curl: the behaviour the client and reconciler tests rely on.
@Suite(.tags(.integration))
struct FakeAPIServerTests {
    @Test func tlsTokenAndClientCertificateAuthenticate() async throws {
        let fake = try await FakeAPIServer.start(.init(tls: true))
        defer { Task { await fake.stop() } }
        let certificates = try #require(fake.certificates)
        let url = fake.apiURL + "/api/v1/namespaces/nowhere"
        let anonymous = try await run("curl", ["-s", "--cacert", certificates.caFile, url])
        #expect(anonymous.stdout.contains("\"code\":403"))
        let token = try await run("curl", ["-s", "--cacert", certificates.caFile, "-H", "Authorization: Bearer test-token", url])
        #expect(token.stdout.contains("\"code\":404"))
        let badToken = try await run("curl", ["-s", "--cacert", certificates.caFile, "-H", "Authorization: Bearer nope", url])
        #expect(badToken.stdout == #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"# + "\n")
        let certificate = try await run("curl", ["-s", "--cacert", certificates.caFile, "--cert", certificates.clientCertFile,
                                                  "--key", certificates.clientKeyFile, url])
        #expect(certificate.stdout.contains("\"code\":404"))
    }

    @Test func objectsFaultsAndRequestLog() async throws {
        let fake = try await FakeAPIServer.start(.init(token: nil))
        defer { Task { await fake.stop() } }
        try await fake.setObject(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ml"},"spec":{"replicas":1}}"#)
        try await fake.injectFault(FakeFault(method: "PATCH", path: "/deployments/web$", status: 500))
        let path = "/apis/apps/v1/namespaces/ml/deployments/web"
        let patch = ["-s", "-X", "PATCH", "-H", "Content-Type: application/merge-patch+json", "-d",
                     #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-29T06:10:00Z"}}}}}"#,
                     fake.apiURL + path]
        let failed = try await run("curl", patch)
        #expect(failed.stdout.contains("\"code\":500"))
        let patched = try await run("curl", patch)
        #expect(patched.stdout.contains("restartedAt"))
        let stored = try #require(try await fake.object(at: path))
        #expect((stored["metadata"] as? [String: Any])?["generation"] as? Int == 2)
        let seen = try await fake.requests()
        #expect(seen.map(\.verb) == ["patch", "patch"])
        #expect(seen.first?.contentType == "application/merge-patch+json")
        #expect(try await fake.rbac() == [RBACGrant(verb: "patch", apiGroup: "apps", resource: "deployments")])
    }
}

/// The fake's answers compared byte for byte with the captured ones.
@Suite(.tags(.integration))
struct FakeAPIServerFixtureTests {
    private func curl(_ fake: FakeAPIServer, _ method: String, _ path: String, _ contentType: String = "application/json",
                      _ body: String? = nil) async throws -> [UInt8] {
        var arguments = ["-s", "-X", method, "-H", "Authorization: Bearer test-token", "-H", "Content-Type: \(contentType)"]
        if let body { arguments += ["--data-binary", body] }
        return Array(try await run("curl", arguments + [fake.apiURL + path]).stdout.utf8)
    }

    @Test func statusBodiesMatchTheCaptures() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let jobs = "/apis/mlops.mlops.dev/v1alpha1/namespaces/ml-platform/notebookvalidationjobs"
        #expect(try await curl(fake, "GET", jobs + "/does-not-exist") == Fixture("20-").body)
        #expect(try await curl(fake, "GET", "/apis/mlops.mlops.dev/v1alpha1/namespaces/ml-platform/notebookvalidationjobz")
            == Fixture("22-").body)
        try await fake.setObject(#"{"apiVersion":"mlops.mlops.dev/v1alpha1","kind":"NotebookValidationJob","metadata":{"name":"watch-demo","namespace":"ml-platform"},"spec":{}}"#)
        #expect(try await curl(fake, "PATCH", jobs + "/watch-demo", "application/merge-patch+json",
                               #"{"metadata":{"resourceVersion":"1"}}"#) == Fixture("28-").body)
        #expect(try await curl(fake, "PATCH", jobs + "/watch-demo", "application/json-patch+json",
                               #"[{"op":"test","path":"/metadata/resourceVersion","value":"1"}]"#) == Fixture("27-").body)
        #expect(try await curl(fake, "PATCH", jobs + "/watch-demo", "application/strategic-merge-patch+json", "{}") == Fixture("43-").body)
        #expect(try await curl(fake, "POST", jobs, "application/json",
                               #"{"apiVersion":"mlops.mlops.dev/v1alpha1","kind":"NotebookValidationJob","metadata":{"name":"ns-mismatch","namespace":"team-b"},"spec":{}}"#)
            == Fixture("40-").body)

        let pod = "predictive-analytics-predictor-c"
        try await fake.setObject(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(pod)","namespace":"ml-platform"}}"#)
        let eviction = #"{"apiVersion":"policy/v1beta1","kind":"Eviction","metadata":{"name":"\#(pod)","namespace":"ml-platform"}}"#
        try await fake.injectFault(FakeFault(path: "/eviction$", pdb: "violated", budget: "predictive-analytics-pdb"))
        let path = "/api/v1/namespaces/ml-platform/pods/\(pod)/eviction"
        #expect(try await curl(fake, "POST", path, "application/json", eviction) == Fixture("71-").body)
        #expect(try await curl(fake, "POST", path, "application/json", eviction) == Fixture("67-").body)
        #expect(try await curl(fake, "POST", path, "application/json", eviction)
            == Fixture("72-").body.replacing(Array("no-such-pod".utf8), with: Array(pod.utf8)))
    }
}
