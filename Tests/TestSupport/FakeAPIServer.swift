public import Foundation

/// The fake kube-apiserver (`Tests/FakeAPIServer/fake_apiserver.py`), started on free ports for one test.
///
/// ```swift
/// let fake = try await FakeAPIServer.start(.init(tls: true))
/// try await fake.setObject(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ml"},"spec":{}}"#)
/// try await fake.injectFault(.init(method: "PATCH", path: "/deployments/web$", status: 500))
/// // ... run the code under test with `fake.kubeconfigPath` ...
/// let seen = try await fake.requests()
/// ```
/// The API answers on `apiURL` (TLS or plain); the `/__fake/` control endpoints always on plain-HTTP `controlURL`.
public final class FakeAPIServer: Sendable {
    /// How to start the fake.
    public struct Options: Sendable {
        /// Serve the API over TLS (a CA, server and client certificate are made for it).
        public var tls: Bool
        /// The bearer token the fake accepts; nil turns authentication off (for plain HTTP without credentials).
        public var token: String?
        /// Serve current-cluster discovery: `pods/eviction` as `policy/v1` and no `policy/v1beta1`.
        public var evictionV1: Bool
        /// Watch events kept; a watch from an older resourceVersion gets 410.
        public var history: Int

        /// Plain HTTP, token `test-token`, 1.19 discovery, 1,000 events of history.
        public init(tls: Bool = false, token: String? = "test-token", evictionV1: Bool = false, history: Int = 1000) {
            self.tls = tls
            self.token = token
            self.evictionV1 = evictionV1
            self.history = history
        }
    }

    /// Where the fake's certificates, kubeconfig and port files live.
    public let directory: URL
    /// `https://127.0.0.1:PORT` or `http://127.0.0.1:PORT`.
    public let apiURL: String
    /// `http://127.0.0.1:PORT` of the control endpoints.
    public let controlURL: String
    /// The API port.
    public let port: UInt16
    /// The certificates, when started with TLS.
    public let certificates: FakeAPICertificates?
    /// The accepted bearer token, if any.
    public let token: String?
    /// A kubeconfig for the fake: token auth, and CA data when TLS.
    public let kubeconfigPath: String
    private let process: ChildProcess

    private init(directory: URL, port: UInt16, controlPort: UInt16, certificates: FakeAPICertificates?,
                 token: String?, process: ChildProcess) throws {
        self.directory = directory
        self.port = port
        self.apiURL = "\(certificates == nil ? "http" : "https")://127.0.0.1:\(port)"
        self.controlURL = "http://127.0.0.1:\(controlPort)"
        self.certificates = certificates
        self.token = token
        self.process = process
        self.kubeconfigPath = directory.appendingPathComponent("kubeconfig").path
        try writeKubeconfig(to: kubeconfigPath)
    }

    /// Starts the fake and waits until both ports accept connections.
    public static func start(_ options: Options = Options()) async throws -> FakeAPIServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tg-fakeapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificates = options.tls ? try await FakeAPICertificates.make(in: directory) : nil
        let portFile = directory.appendingPathComponent("port").path
        let controlPortFile = directory.appendingPathComponent("control-port").path
        var arguments = [
            packageRoot.appendingPathComponent("Tests/FakeAPIServer/fake_apiserver.py").path,
            "--fixtures", fixturesRoot.appendingPathComponent("kube-api").path,
            "--port-file", portFile, "--control-port", "0", "--control-port-file", controlPortFile,
            "--history", String(options.history),
        ]
        if let certificates {
            arguments += ["--tls-cert", certificates.serverCertFile, "--tls-key", certificates.serverKeyFile,
                          "--client-ca", certificates.caFile]
        }
        if let token = options.token { arguments += ["--token", token] }
        if options.evictionV1 { arguments.append("--eviction-v1") }
        let process = try ChildProcess("python3", arguments)
        let port = try await readPort(portFile, process)
        let controlPort = try await readPort(controlPortFile, process)
        try await waitForPort(port)
        try await waitForPort(controlPort)
        return try FakeAPIServer(directory: directory, port: port, controlPort: controlPort, certificates: certificates,
                                 token: options.token, process: process)
    }

    private static func readPort(_ file: String, _ process: ChildProcess) async throws -> UInt16 {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: file, encoding: .utf8), let port = UInt16(text) { return port }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw FakeAPIServerError(message: "the fake API server did not start: \(process.output)")
    }

    /// Everything the fake printed (its log).
    public var output: String { process.output }

    /// Stops the fake (SIGKILL) and removes its files.
    public func stop() async {
        process.signal(SIGKILL)
        _ = await process.waitForExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes a kubeconfig for the fake to `path`.
    ///
    /// - Parameters:
    ///   - token: `.inline` (`token:`), `.file` (`tokenFile:`) or `.none`.
    ///   - clientCertificate: `.none`, `.inline` (`client-certificate-data`, `client-key-data`) or `.file`.
    ///   - ca: `.inline` (`certificate-authority-data`), `.file` or `.none`; ignored without TLS.
    ///   - insecure: `insecure-skip-tls-verify: true`.
    public func writeKubeconfig(
        to path: String, token tokenSource: CredentialSource = .inline, clientCertificate: CredentialSource = .none,
        ca: CredentialSource = .inline, insecure: Bool = false
    ) throws {
        var cluster = ["    server: \(apiURL)"]
        if let certificates {
            switch ca {
            case .inline: cluster.append("    certificate-authority-data: \(try base64(of: certificates.caFile))")
            case .file: cluster.append("    certificate-authority: \(certificates.caFile)")
            case .none: break
            }
        }
        if insecure { cluster.append("    insecure-skip-tls-verify: true") }
        var user: [String] = []
        if let token {
            switch tokenSource {
            case .inline: user.append("    token: \(token)")
            case .file:
                let file = directory.appendingPathComponent("token").path
                try token.write(toFile: file, atomically: true, encoding: .utf8)
                user.append("    tokenFile: \(file)")
            case .none: break
            }
        }
        if let certificates {
            switch clientCertificate {
            case .inline:
                user.append("    client-certificate-data: \(try base64(of: certificates.clientCertFile))")
                user.append("    client-key-data: \(try base64(of: certificates.clientKeyFile))")
            case .file:
                user.append("    client-certificate: \(certificates.clientCertFile)")
                user.append("    client-key: \(certificates.clientKeyFile)")
            case .none: break
            }
        }
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: other
              cluster:
                server: https://192.0.2.1:6443
            - name: fake
              cluster:
            \(cluster.joined(separator: "\n"))
            users:
            - name: fake-user
              user:
            \(user.isEmpty ? "    {}" : user.joined(separator: "\n"))
            contexts:
            - name: other
              context: {cluster: other, user: fake-user}
            - name: fake
              context:
                cluster: fake
                user: fake-user
                namespace: default
            current-context: fake

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func base64(of file: String) throws -> String {
        try Data(contentsOf: URL(fileURLWithPath: file)).base64EncodedString()
    }
}

/// Where a kubeconfig credential comes from.
public enum CredentialSource: Sendable {
    /// Left out.
    case none
    /// Inline (`token`, `*-data`).
    case inline
    /// A file path (`tokenFile`, `client-certificate`, `certificate-authority`).
    case file
}

/// The fake API server could not be started or driven.
public struct FakeAPIServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    public var description: String { message }
}
