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

    @Test func inClusterWithARotatingToken() async throws {
        let fake = try await FakeAPIServer.start(.init(tls: true))
        defer { Task { await fake.stop() } }
        let account = fake.directory.appendingPathComponent("serviceaccount")
        try FileManager.default.createDirectory(at: account, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try #require(fake.certificates).caFile, toPath: account.appendingPathComponent("ca.crt").path)
        try "test-token".write(to: account.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try "ml".write(to: account.appendingPathComponent("namespace"), atomically: true, encoding: .utf8)
        let config = try KubeConfig.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(fake.port)],
            serviceAccountDirectory: account.path)
        let kube = KubeClient(config: config)
        #expect(try await kube.list(.pods, namespace: config.namespace).items.isEmpty)
        try await fake.configure(#"{"tokens": ["next-token"]}"#)
        try "next-token".write(to: account.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        #expect(try await kube.list(.pods, namespace: config.namespace).items.isEmpty)
        #expect(try await fake.requests().map { $0.authorization ?? "" }
            == ["Bearer test-token", "Bearer test-token", "Bearer next-token"])
    }
}
