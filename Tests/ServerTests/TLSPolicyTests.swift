import Foundation
import TestSupport
import Testing

/// What `openssl s_client` negotiated, or `nil` when the handshake was refused.
func handshake(port: UInt16, ca: String, _ arguments: [String]) async throws -> String? {
    let result = try await run("openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", ca] + arguments, input: Array("Q\n".utf8))
    let output = result.stdout + result.stderr
    guard output.contains("Verify return code: 0 (ok)"), let cipher = output.split(separator: "\n").first(where: { $0.contains("Cipher is") }),
        !cipher.contains("(NONE)")
    else {
        return nil
    }
    return String(cipher) + (output.split(separator: "\n").first { $0.hasPrefix("ALPN protocol:") }.map { " " + $0 } ?? "")
}

@Suite(.tags(.integration), .serialized)
struct TLSPolicyTests {
    @Test func oldVersionsAndSuitesWithoutForwardSecrecyAreRefused() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates)
        for refused in [["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"], ["-tls1_2", "-cipher", "AES128-SHA"], ["-tls1_2", "-cipher", "AES128-GCM-SHA256"]] {
            #expect(try await handshake(port: server.port, ca: certificates.ca, refused) == nil, "\(refused)")
        }
        let tls12 = try await handshake(port: server.port, ca: certificates.ca, ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"])
        #expect(tls12?.contains("ECDHE-ECDSA-AES128-GCM-SHA256") == true, "\(String(describing: tls12))")
        let tls13 = try await handshake(port: server.port, ca: certificates.ca, ["-tls1_3"])
        #expect(tls13?.contains("TLSv1.3") == true, "\(String(describing: tls13))")
    }

    /// The server's TLS 1.3 order decides: AES-128-GCM even for a client that lists AES-256-GCM first (OpenSSL's own
    /// default order), and a client's only suite when the two share just that one.
    @Test func tls13PrefersAES128GCMWhateverTheClientsOrder() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates)
        let clientOrder = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"
        let preferred = try await handshake(port: server.port, ca: certificates.ca, ["-tls1_3", "-ciphersuites", clientOrder])
        #expect(preferred?.contains("TLS_AES_128_GCM_SHA256") == true, "\(String(describing: preferred))")
        let only = try await handshake(port: server.port, ca: certificates.ca, ["-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"])
        #expect(only?.contains("TLS_CHACHA20_POLY1305_SHA256") == true, "\(String(describing: only))")
    }

    @Test func alpnPicksH2ThenHTTP11AndOtherwiseCarriesOnWithoutIt() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates)
        let both = try await handshake(port: server.port, ca: certificates.ca, ["-alpn", "http/1.1,h2"])
        #expect(both?.hasSuffix("ALPN protocol: h2") == true, "\(String(describing: both))")
        let http11 = try await handshake(port: server.port, ca: certificates.ca, ["-alpn", "http/1.1"])
        #expect(http11?.hasSuffix("ALPN protocol: http/1.1") == true, "\(String(describing: http11))")
        let unknown = try await handshake(port: server.port, ca: certificates.ca, ["-alpn", "spdy/3"])
        #expect(unknown != nil && unknown?.contains("ALPN protocol") == false, "\(String(describing: unknown))")
    }

    @Test func aClientCAMakesClientCertificatesRequired() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let clients = try await CertificateDirectory.make()
        defer { clients.remove() }
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--client-ca-file", clients.ca])
        let anonymous = try await server.curl(["-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data", "{}", server.url("/validate")])
        #expect(anonymous.stdout != "200")
        let authenticated = try await server.curl([
            "--cert", clients.certificate, "--key", clients.key, "-o", "/dev/null", "-w", "%{http_code}", server.url("/healthz-nope"),
        ])
        #expect(authenticated.stdout == "404", "\(authenticated.stderr)")
    }
}
