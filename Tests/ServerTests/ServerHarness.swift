import Foundation
import Sockets
import TLS
import TestSupport
import Testing

/// A temporary directory with a CA and serving certificate made by `triggergate certs`.
struct CertificateDirectory {
    let url: URL
    var path: String { url.path }
    var ca: String { url.appendingPathComponent("ca.crt").path }
    var certificate: String { url.appendingPathComponent("tls.crt").path }
    var key: String { url.appendingPathComponent("tls.key").path }

    /// Makes a fresh pair for localhost and 127.0.0.1 with the real binary, with keys of `keyType` (`ec` or `rsa`).
    static func make(keyType: String = "ec") async throws -> CertificateDirectory {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tg-certs-\(UUID().uuidString)")
        let result = try await run(triggergateBinary.path, [
            "certs", "--dns", "localhost", "--ip", "127.0.0.1", "--key-type", keyType, "--out", url.path,
        ])
        try #require(result.status == 0, "triggergate certs failed: \(result.stderr)")
        return CertificateDirectory(url: url)
    }

    /// The serving certificate's serial as `openssl x509 -serial` prints it (`serial=…`).
    func serial() async throws -> String {
        try await run("openssl", ["x509", "-noout", "-serial", "-in", certificate]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// `triggergate serve` on free loopback ports with certificates from a ``CertificateDirectory``.
final class RunningServer {
    let process: ChildProcess
    let port: UInt16
    let healthPort: UInt16
    let certificates: CertificateDirectory

    /// Starts the server and waits until both ports accept connections.
    init(certificates: CertificateDirectory, extraArguments: [String] = []) async throws {
        port = freePort()
        var health = freePort()
        while health == port { health = freePort() }
        healthPort = health
        self.certificates = certificates
        process = try ChildProcess(triggergateBinary.path, [
            "serve", "--listen", "127.0.0.1:\(port)", "--health-listen", "127.0.0.1:\(healthPort)",
            "--tls-cert-file", certificates.certificate, "--tls-key-file", certificates.key,
        ] + extraArguments, environment: ["KUBECONFIG": "", "KUBERNETES_SERVICE_HOST": ""])
        try await waitForPort(port)
        try await waitForPort(healthPort)
    }

    /// The admission URL of `path`.
    func url(_ path: String) -> String { "https://localhost:\(port)\(path)" }

    /// The health port's URL of `path`.
    func healthURL(_ path: String) -> String { "http://127.0.0.1:\(healthPort)\(path)" }

    /// `curl --cacert` against the server; returns what curl printed.
    func curl(_ arguments: [String]) async throws -> ProcessResult {
        try await run("curl", ["--silent", "--show-error", "--cacert", certificates.ca, "--max-time", "20"] + arguments)
    }

    /// The status code of a GET on the health port.
    func healthStatus(_ path: String) async throws -> String {
        try await run("curl", ["--silent", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", healthURL(path)]).stdout
    }

    /// A TLS connection to the admission port that trusts the test CA and offers `protocols` through ALPN.
    func connect(protocols: [String] = ["http/1.1"]) async throws -> TLSConnection {
        let trust = try TLSClientContext(trustedCAPEM: Array(try Data(contentsOf: URL(fileURLWithPath: certificates.ca))), protocols: protocols)
        let socket = try await AsyncSocket.connect(host: "127.0.0.1", port: port, deadline: .now + .seconds(5))
        return try await TLSConnection.connect(socket, context: trust, serverName: "localhost", deadline: .now + .seconds(5))
    }

    /// Whether the admission port accepts a new TCP connection (it refuses once the listener closed).
    func acceptsConnections() async -> Bool {
        guard let socket = try? await AsyncSocket.connect(host: "127.0.0.1", port: port, deadline: .now + .seconds(2)) else { return false }
        socket.close()
        return true
    }

    deinit {
        process.signal(SIGKILL)
    }
}

/// The AdmissionReview request bodies the API server sent, as captured in the fixtures.
func admissionFixtures() throws -> [URL] {
    let directory = fixturesRoot.appendingPathComponent("admission")
    return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        .filter { $0.lastPathComponent.hasSuffix(".raw.json") }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
}

/// The `request.uid` of an AdmissionReview, or the `response.uid` of an answer.
func reviewUID(_ json: Data, in part: String) throws -> String? {
    let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
    return (object?[part] as? [String: Any])?["uid"] as? String
}

/// The first captured AdmissionReview with `request.filler`, an array of `count` small objects, before its other members:
/// valid JSON the decision has to walk through, which makes each decision long (about a second in a debug build for
/// 400,000), and its uid.
func slowReviewText(count: Int) throws -> (body: String, uid: String) {
    let fixture = try #require(try admissionFixtures().first)
    let text = try String(contentsOf: fixture, encoding: .utf8)
    let opening = try #require(text.range(of: #""request":{"#))
    let filler = "[" + Array(repeating: #"{"k":[1,2,3]}"#, count: count).joined(separator: ",") + "],"
    let body = text.replacingCharacters(in: opening, with: #""request":{"filler":"# + filler)
    return (body, try #require(try reviewUID(Data(contentsOf: fixture), in: "request")))
}
