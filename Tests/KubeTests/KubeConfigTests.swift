import Foundation
import Kube
import Testing

struct KubeConfigTests {
    private let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tg-kubeconfig-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    private func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    @Test func currentContextWithInlineData() throws {
        let data = Data(pem.utf8).base64EncodedString()
        let path = try write("config", """
            apiVersion: v1
            kind: Config
            current-context: b
            clusters:
            - name: a
              cluster: {server: "https://10.0.0.1:6443"}
            - name: b
              cluster:
                server: https://[::1]:7443
                certificate-authority-data: \(data)
            users:
            - name: u
              user:
                token: abc
                client-certificate-data: \(data)
                client-key-data: \(data)
            contexts:
            - name: a
              context: {cluster: a, user: u}
            - name: b
              context: {cluster: b, user: u, namespace: ml}
            """)
        let config = try KubeConfig.fromKubeconfig(path: path)
        #expect(config.host == "::1" && config.port == 7443 && config.usesTLS)
        #expect(config.caPEM == Array(pem.utf8))
        #expect(config.clientCertificatePEM == Array(pem.utf8) && config.clientKeyPEM == Array(pem.utf8))
        #expect(try config.token?.token() == "abc")
        #expect(config.namespace == "ml")
        #expect(config.serverURL == "https://[::1]:7443")
    }

    @Test func filesRelativeToTheKubeconfig() throws {
        _ = try write("ca.crt", pem)
        _ = try write("token", "from-file\n")
        let path = try write("config-files", """
            current-context: c
            clusters:
            - name: k
              cluster: {server: "http://127.0.0.1:8080", certificate-authority: ca.crt, insecure-skip-tls-verify: true}
            users:
            - name: u
              user: {tokenFile: token}
            contexts:
            - name: c
              context: {cluster: k, user: u}
            """)
        let config = try KubeConfig.fromKubeconfig(path: path)
        #expect(config.scheme == "http" && config.port == 8080 && config.insecureSkipTLSVerify)
        #expect(config.caPEM == Array(pem.utf8))
        #expect(try config.token?.token() == "from-file")
        #expect(config.token?.isFile == true)
    }

    @Test func brokenKubeconfigsSayWhatIsWrong() throws {
        let noContext = try write("c1", "clusters: []\n")
        #expect(throws: KubeConfigError.self) { try KubeConfig.fromKubeconfig(path: noContext) }
        let missingCluster = try write("c2", "current-context: x\ncontexts:\n- name: x\n  context: {cluster: nope}\n")
        let error = try #require(throws: KubeConfigError.self) { try KubeConfig.fromKubeconfig(path: missingCluster) }
        #expect(error.message.contains("nope"))
        let certWithoutKey = try write("c3", """
            current-context: x
            clusters: [{name: k, cluster: {server: "https://h"}}]
            users: [{name: u, user: {client-certificate-data: \(Data(pem.utf8).base64EncodedString())}}]
            contexts: [{name: x, context: {cluster: k, user: u}}]
            """)
        #expect(throws: KubeConfigError.self) { try KubeConfig.fromKubeconfig(path: certWithoutKey) }
        #expect(throws: KubeConfigError.self) { try KubeConfig.load(kubeconfigPath: nil, environment: [:]) }
    }

    /// Found by fuzz-kubeconfig: reading an empty file leaked 4 KiB (Foundation's reader; the input is in
    /// Fuzz/Corpus/kubeconfig and fails under LeakSanitizer). An empty file, a folder and a missing file read as such.
    @Test func emptyFolderAndMissingFiles() throws {
        let empty = try write("empty", "")
        let error = try #require(throws: KubeConfigError.self) { try KubeConfig.fromKubeconfig(path: empty) }
        #expect(error.message == "kubeconfig \(empty) has no current-context; set one with kubectl config use-context")
        for path in [folder.path, folder.appendingPathComponent("missing").path] {
            let error = try #require(throws: KubeConfigError.self) { try KubeConfig.fromKubeconfig(path: path) }
            #expect(error.message == "cannot read the kubeconfig \(path): it does not exist or is not readable")
        }
        let large = try write("large", "current-context: \(String(repeating: "x", count: 100_000))\n")
        let missing = try #require(throws: KubeConfigError.self) { try KubeConfig.fromKubeconfig(path: large) }
        #expect(missing.message.contains("\"\(String(repeating: "x", count: 100_000))\" is not among its contexts"))
    }

    /// Every field `fromKubeconfig` reads, with files for the client pair and the TLS server name.
    @Test func everyFieldIsRead() throws {
        let keyPEM = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
        _ = try write("all-ca.crt", pem)
        _ = try write("client.crt", pem)
        _ = try write("client.key", keyPEM)
        let path = try write("config-all", """
            # kubectl writes block style
            apiVersion: v1
            kind: Config
            preferences: {}
            current-context: "all"
            clusters:
            - name: c
              cluster:
                server: https://192.168.1.5:6443
                certificate-authority: all-ca.crt
                insecure-skip-tls-verify: false
                tls-server-name: kubernetes.default
                extensions: [{name: ignored, extension: {x: 1}}]
            users:
            - name: u
              user:
                client-certificate: client.crt
                client-key: \(folder.path)/client.key
            contexts:
            - name: all
              context:
                cluster: c
                user: u
                namespace: "007"
            """)
        let config = try KubeConfig.fromKubeconfig(path: path)
        #expect(config.scheme == "https" && config.host == "192.168.1.5" && config.port == 6443)
        #expect(config.caPEM == Array(pem.utf8))
        #expect(!config.insecureSkipTLSVerify)
        #expect(config.tlsServerName == "kubernetes.default")
        #expect(config.clientCertificatePEM == Array(pem.utf8) && config.clientKeyPEM == Array(keyPEM.utf8))
        #expect(config.token == nil)
        #expect(config.namespace == "007")
    }

    @Test func anchorsAliasesAndMergeKeysLoad() throws {
        let path = try write("config-anchors", """
            current-context: prod
            clusters:
            - name: k
              cluster: &cluster
                server: https://10.0.0.9:6443
                insecure-skip-tls-verify: !!bool "true"
            users:
            - name: u
              user: &user {token: abc}
            contexts:
            - name: dev
              context: &base {cluster: k, user: u, namespace: dev}
            - name: prod
              context:
                <<: *base
                namespace: prod
            """)
        let config = try KubeConfig.fromKubeconfig(path: path)
        #expect(config.host == "10.0.0.9" && config.port == 6443 && config.insecureSkipTLSVerify)
        #expect(try config.token?.token() == "abc")
        #expect(config.namespace == "prod")
    }

    @Test(arguments: [
        ("current-context: x\ncontexts:\n- name: x\n  context: {cluster: [k]}\n",
         "cluster: want a string, got a list at line 4, column 22"),
        ("current-context: x\nclusters:\n- name: k\n  cluster: {server: h, insecure-skip-tls-verify: maybe}\n",
         #"insecure-skip-tls-verify: want true or false, got a string "maybe" at line 4, column 50"#),
        ("current-context: x\nclusters:\n  name: k\n", "clusters: want a list, got a mapping at line 3, column 3"),
        ("current-context: x\ncontexts:\n- context: {cluster: k}\n", "want a name in every entry of contexts at line 3, column 3"),
        ("current-context: x\ncontexts:\n- name: x\n  context: {user: u}\n", "want a cluster in every context at line 4, column 12"),
        ("current-context: x\nusers:\n- name: u\n  user: {token: a, token: b}\n", #"duplicate key "token" at line 4, column 20"#),
        ("current-context: &x x\nusers:\n- name: *y\n",
         "YAML alias *y has no anchor &y before it in its document (anchors do not carry over ---) at line 3, column 9"),
        ("current-context: x\nclusters: [\n", "invalid YAML: did not find expected node content (while parsing a flow node) at line 3, column 1"),
    ])
    func badKubeconfigsSayWhereTheProblemIs(text: String, message: String) throws {
        let path = try write("bad", text)
        let error = try #require(throws: KubeConfigError.self) { try KubeConfig.fromKubeconfig(path: path) }
        #expect(error.message == "kubeconfig \(path) is not valid: \(message)")
    }

    @Test func inClusterRereadsARotatedToken() throws {
        _ = try write("ca.crt", pem)
        _ = try write("namespace", "triggergate-system")
        let tokenPath = try write("token", "first")
        let config = try KubeConfig.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            serviceAccountDirectory: folder.path, tokenRefresh: .zero)
        #expect(config.host == "10.96.0.1" && config.port == 443 && config.namespace == "triggergate-system")
        #expect(try config.token?.token() == "first")
        try "second\n".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        #expect(try config.token?.token() == "second")
        let error = try #require(throws: KubeConfigError.self) {
            try KubeConfig.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "h"], serviceAccountDirectory: folder.path + "/none")
        }
        #expect(error.message == "cannot read the service account CA \(folder.path)/none/ca.crt: it does not exist or is not readable")
    }
}
