import Foundation
import Kube
import Testing
import TestSupport

/// TLS against the fake API server, configured through kubeconfig variants.
@Suite(.tags(.integration))
struct KubeClientTLSTests {
    private func pods(_ fake: FakeAPIServer, _ name: String, token: CredentialSource = .inline, clientCertificate: CredentialSource = .none,
                      ca: CredentialSource = .inline, insecure: Bool = false) async throws -> Int {
        let path = fake.directory.appendingPathComponent(name).path
        try fake.writeKubeconfig(to: path, token: token, clientCertificate: clientCertificate, ca: ca, insecure: insecure)
        let kube = KubeClient(config: try KubeConfig.fromKubeconfig(path: path))
        return try await kube.list(.pods, namespace: "ml").items.count
    }

    @Test func kubeconfigVariants() async throws {
        let fake = try await FakeAPIServer.start(.init(tls: true))
        defer { Task { await fake.stop() } }
        #expect(try await pods(fake, "token-ca-data") == 0)
        #expect(try await pods(fake, "token-ca-file", ca: .file) == 0)
        #expect(try await pods(fake, "token-file", token: .file) == 0)
        #expect(try await pods(fake, "cert-inline", token: .none, clientCertificate: .inline) == 0)
        #expect(try await pods(fake, "cert-files", token: .none, clientCertificate: .file, ca: .file) == 0)
        #expect(try await pods(fake, "insecure", ca: .none, insecure: true) == 0)
        let anonymous = try await #require(throws: KubeError.self) { try await pods(fake, "anonymous", token: .none) }
        #expect(anonymous.kind == .forbidden)
        let untrusted = try await #require(throws: KubeError.self) { try await pods(fake, "no-ca", ca: .none) }
        #expect(untrusted.kind == .transport)
        let seen = try await fake.requests()
        #expect(seen.filter { $0.authorization == nil }.count == 3)
    }
}
