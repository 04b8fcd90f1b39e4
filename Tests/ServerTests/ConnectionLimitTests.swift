import Foundation
import TestSupport
import Testing

/// `serve --max-connections` against the open-file limit, through the binary. The limit itself, under load, is
/// `FaultsUnderLoadTests`' connections scenario.
@Suite(.tags(.integration))
struct ConnectionLimitTests {
    @Test func aLimitTheOpenFileLimitCannotHoldIsLoweredWithAWarning() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let port = freePort()
        var health = freePort()
        while health == port { health = freePort() }
        // A hard limit of 600: the soft one cannot be raised past it, and 512 descriptors are kept for everything else.
        let server = try ChildProcess("bash", ["-c", """
            ulimit -n 600 && exec "$0" serve --listen 127.0.0.1:\(port) --health-listen 127.0.0.1:\(health) \
            --tls-cert-file "$1" --tls-key-file "$2" --max-connections 10000 --shutdown-delay 0s
            """, triggergateBinary.path, certificates.certificate, certificates.key],
            environment: ["KUBECONFIG": "", "KUBERNETES_SERVICE_HOST": ""])
        try await waitForPort(port)
        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0, "\(server.output)")
        let warning = try #require(server.output.split(separator: "\n").first { $0.contains("--max-connections lowered") }, "\(server.output)")
        #expect(warning.contains(#""lowered":"88""#) && warning.contains(#""openFileLimit":"600""#), "\(warning)")
    }

    @Test func aLimitTheOpenFileLimitCanHoldIsKeptSilently() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--max-connections", "100", "--shutdown-delay", "0s"])
        server.process.signal(SIGTERM)
        #expect(await server.process.waitForExit() == 0)
        #expect(!server.process.output.contains("--max-connections lowered"), "\(server.process.output)")
    }
}
