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
        #expect(try await fake.rbac() == [FakeRBACRule(verb: "patch", group: "apps", resource: "deployments")])
    }
}
