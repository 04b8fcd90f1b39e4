import Foundation
import Kube
import Testing
import TestSupport

/// Credentials against the fake API server.
@Suite(.tags(.integration))
struct KubeClientAuthTests {
    @Test func rotatedTokenFileIsReadAgainAfter401() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let kubeconfig = fake.directory.appendingPathComponent("kubeconfig-token-file").path
        try fake.writeKubeconfig(to: kubeconfig, token: .file)
        let config = try KubeConfig.fromKubeconfig(path: kubeconfig)
        #expect(config.token?.isFile == true)
        let kube = KubeClient(config: config)
        _ = try await kube.list(.pods, namespace: "ml")

        // The server now accepts only the new token, and the file is rewritten: one 401, a fresh read, success.
        try await fake.configure(#"{"tokens": ["rotated"]}"#)
        try "rotated".write(to: fake.directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        _ = try await kube.list(.pods, namespace: "ml")
        let auth = try await fake.requests().map { $0.authorization ?? "" }
        #expect(auth == ["Bearer test-token", "Bearer test-token", "Bearer rotated"])

        let fixed = KubeClient(config: try KubeConfig.fromKubeconfig(path: fake.kubeconfigPath))
        let error = try await #require(throws: KubeError.self) { try await fixed.list(.pods, namespace: "ml") }
        #expect(error.kind == .unauthorized && !error.isTemporary)
        #expect(error.description.contains("check the token"))
    }
}
