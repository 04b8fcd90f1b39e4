import Foundation
import TestSupport
import Testing

@Suite(.tags(.integration))
struct RSACertificateTests {
    @Test func anRSAPairFromCertsServesWithECDHERSASuitesOnly() async throws {
        let certificates = try await CertificateDirectory.make(keyType: "rsa")
        defer { certificates.remove() }
        let key = try await run("openssl", ["pkey", "-in", certificates.key, "-noout", "-text"])
        #expect(key.stdout.contains("Private-Key: (2048 bit"), "\(key.stdout.prefix(200))")
        let ca = try await run("openssl", ["x509", "-in", certificates.ca, "-noout", "-text"])
        #expect(ca.stdout.contains("Public Key Algorithm: rsaEncryption"))

        let server = try await RunningServer(certificates: certificates)
        let rsa = try await handshake(port: server.port, ca: certificates.ca, ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"])
        #expect(rsa?.contains("ECDHE-RSA-AES128-GCM-SHA256") == true, "\(String(describing: rsa))")
        for refused in [["-tls1_2", "-cipher", "AES128-GCM-SHA256"], ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"]] {
            #expect(try await handshake(port: server.port, ca: certificates.ca, refused) == nil, "\(refused)")
        }
        let tls13 = try await handshake(port: server.port, ca: certificates.ca, ["-tls1_3"])
        #expect(tls13?.contains("TLSv1.3") == true, "\(String(describing: tls13))")

        let fixture = try #require(try admissionFixtures().first)
        let body = try Data(contentsOf: fixture)
        let answer = try await server.curl(["-X", "POST", "--data-binary", "@\(fixture.path)", "-w", "\n%{http_code}", server.url("/validate")])
        #expect(answer.stdout.hasSuffix("\n200"), "\(answer.stderr)")
        let json = Data(answer.stdout.dropLast(4).utf8)
        #expect(try reviewUID(json, in: "response") == reviewUID(body, in: "request"))
    }
}
