import Foundation
import TestSupport
import Testing

/// SPEC §4's TLS promises, checked by an independent scanner (sslyze, through Tests/TLSAudit/sslyze_audit.py)
/// against the real `triggergate serve` presenting a two-certificate chain (the serving certificate, then its CA).
@Suite(.tags(.integration))
struct TLSAuditTests {
    @Test func sslyzeFindsOnlyModernAEADSuitesWithForwardSecrecyAndTheConfiguredChain() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let chain = try String(contentsOfFile: certificates.certificate, encoding: .utf8) + String(contentsOfFile: certificates.ca, encoding: .utf8)
        try chain.write(toFile: certificates.certificate, atomically: true, encoding: .utf8)
        let server = try await RunningServer(certificates: certificates)
        let script = packageRoot.appendingPathComponent("Tests/TLSAudit/sslyze_audit.py").path
        let scan = try await run("python3", [script, "localhost", String(server.port), certificates.ca])
        try #require(scan.status == 0, "sslyze_audit.py failed: \(scan.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(scan.stdout.utf8))
        let report = try #require(parsed as? [String: Any], "\(scan.stdout)")
        #expect((report["errors"] as? [String]) == [], "\(report["errors"] ?? "")")

        let protocols = try #require(report["protocols"] as? [String: [String]], "\(report)")
        for refused in ["SSL 2.0", "SSL 3.0", "TLS 1.0", "TLS 1.1"] {
            #expect(protocols[refused] == [], "\(refused) accepts \(protocols[refused] ?? [])")
        }
        let tls12 = try #require(protocols["TLS 1.2"]), tls13 = try #require(protocols["TLS 1.3"])
        #expect(!tls12.isEmpty && !tls13.isEmpty, "TLS 1.2: \(tls12), TLS 1.3: \(tls13)")
        for suite in tls12 {
            #expect(suite.hasPrefix("TLS_ECDHE_") || suite.hasPrefix("TLS_DHE_"), "\(suite) has no forward secrecy")
            #expect(suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305") || suite.contains("_CCM"), "\(suite) is not AEAD")
        }
        let aeadTLS13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256"]
        #expect(tls13.allSatisfy(aeadTLS13.contains), "\(tls13)")

        #expect(report["client_renegotiation"] as? Bool == false, "client-initiated renegotiation: \(report["client_renegotiation"] ?? "")")
        #expect(report["compression"] as? Bool == false, "compression: \(report["compression"] ?? "")")

        let served = try #require(report["chain"] as? [String])
        #expect(served.map(Self.base64Body) == Self.certificates(in: chain).map(Self.base64Body), "served \(served.count) certificates")
        #expect(report["chain_valid"] as? Bool == true)
    }

    /// The PEM blocks of `text`, in order.
    private static func certificates(in text: String) -> [String] {
        text.components(separatedBy: "-----END CERTIFICATE-----").dropLast().map { $0 + "-----END CERTIFICATE-----" }
    }

    /// The base64 of one PEM certificate without its armour and line breaks, to compare encodings.
    private static func base64Body(_ pem: String) -> String {
        pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }
}
