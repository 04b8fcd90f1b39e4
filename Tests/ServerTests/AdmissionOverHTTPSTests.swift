import Foundation
import TestSupport
import Testing

@Suite(.tags(.integration), .serialized)
struct AdmissionOverHTTPSTests {
    @Test(arguments: ["--http1.1", "--http2"])
    func everyFixtureIsAnsweredWith200AndItsUID(protocolFlag: String) async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates)
        let fixtures = try admissionFixtures()
        try #require(fixtures.count >= 30)
        for fixture in fixtures {
            let result = try await server.curl([
                protocolFlag, "-v", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@\(fixture.path)",
                "-w", "\n%{http_code}", server.url("/validate"),
            ])
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.last == "200", "\(fixture.lastPathComponent): \(result.stdout) \(result.stderr)")
            let want = try reviewUID(Data(contentsOf: fixture), in: "request")
            let got = try reviewUID(Data(lines.dropLast().joined(separator: "\n").utf8), in: "response")
            #expect(want != nil && got == want, "\(fixture.lastPathComponent)")
            let alpn = protocolFlag == "--http2" ? "ALPN: server accepted h2" : "ALPN: server accepted http/1.1"
            #expect(result.stderr.contains(alpn), "\(fixture.lastPathComponent): \(result.stderr)")
        }
    }

    @Test func unknownPathsAndWrongMethodsGet404And405() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates)
        let notFound = try await server.curl(["-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data", "{}", server.url("/nope")])
        #expect(notFound.stdout == "404")
        let wrongMethod = try await server.curl(["-o", "/dev/null", "-w", "%{http_code}", server.url("/validate")])
        #expect(wrongMethod.stdout == "405")
        #expect(try await server.healthStatus("/healthz") == "200")
        #expect(try await server.healthStatus("/readyz") == "200")
        let metrics = try await run("curl", ["--silent", server.healthURL("/metrics")]).stdout
        #expect(metrics.contains("triggergate_admission_requests_total{webhook=\"other\",result=\"error\",code=\"404\"} 1"))
        #expect(metrics.contains("triggergate_admission_requests_total{webhook=\"validate\",result=\"error\",code=\"405\"} 1"))
        #expect(metrics.contains("triggergate_tls_certificate_expiration_timestamp_seconds"))
        #expect(metrics.contains("triggergate_tls_handshakes_total 2"))
    }

    /// curl sends the absolute-form target and `OPTIONS *` as written (`--request-target`), over real TLS.
    @Test func absoluteFormOptionsAndUnknownMethodsOverTLS() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates)
        let fixture = try #require(try admissionFixtures().first)
        let absolute = try await server.curl([
            "--http1.1", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@\(fixture.path)",
            "--request-target", server.url("/validate"), "-w", "\n%{http_code}", server.url("/"),
        ])
        #expect(absolute.stdout.hasSuffix("\n200"), "\(absolute.stdout)\(absolute.stderr)")
        #expect(try reviewUID(Data(absolute.stdout.split(separator: "\n").dropLast().joined(separator: "\n").utf8), in: "response")
            == (try reviewUID(Data(contentsOf: fixture), in: "request")))
        let options = try await server.curl(["--http1.1", "-i", "-X", "OPTIONS", "--request-target", "*", server.url("/")])
        #expect(options.stdout.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(options.stdout)\(options.stderr)")
        #expect(options.stdout.contains("\r\nAllow: POST, OPTIONS\r\n"))
        let unknown = try await server.curl(["--http1.1", "-o", "/dev/null", "-w", "%{http_code}", "-X", "BREW", server.url("/validate")])
        #expect(unknown.stdout == "501")
    }

    @Test(arguments: ["--http1.1", "--http2"])
    func aBodyOneByteOver7MiBGets413(protocolFlag: String) async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates)
        let body = certificates.url.appendingPathComponent("big.json")
        try Data(repeating: 0x20, count: 7 * 1024 * 1024 + 1).write(to: body)
        let result = try await server.curl([
            protocolFlag, "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data-binary", "@\(body.path)", server.url("/validate"),
        ])
        #expect(result.stdout == "413", "\(result.stderr)")
    }

    @Test func twoHundredConcurrentKeepAliveConnectionsAreServed() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates)
        let fixture = try #require(try admissionFixtures().first)
        let result = try await run("h2load", [
            "--h1", "-c", "200", "-n", "2000", "-d", fixture.path, "-H", "Content-Type: application/json", server.url("/validate"),
        ])
        #expect(result.stdout.contains("2000 succeeded, 0 failed, 0 errored"), "\(result.stdout)")
        #expect(result.stdout.contains("status codes: 2000 2xx"), "\(result.stdout)")
    }
}
