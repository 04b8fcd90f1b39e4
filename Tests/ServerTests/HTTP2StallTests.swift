import Foundation
import TestSupport
import Testing

@Suite(.tags(.integration))
struct HTTP2StallTests {
    @Test func anHTTP2ClientStallingInAHeaderBlockIsDroppedAfterTheHeaderReadTimeoutWhileOthersAreServed() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--header-read-timeout", "1s"])
        let stalled = try await server.connect(protocols: ["h2"])
        #expect(stalled.negotiatedProtocol == "h2")
        try await stalled.write(
            RawFrame.preface + RawFrame.frame(type: 1, flags: 0x01, stream: 1, RawFrame.getBlock), deadline: .now + .seconds(5))
        let started = ContinuousClock.now

        let fixture = try #require(try admissionFixtures().first)
        let served = try await server.curl(["--http2", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", "-X", "POST",
            "--data-binary", "@\(fixture.path)", server.url("/validate")])
        #expect(served.stdout == "2 200", "\(served.stderr)")

        let output = try await RawFrame.read(until: { _ in false }) {
            (try? await stalled.read(maxCount: 65536, deadline: .now + .seconds(8))) ?? []
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(5), "dropped after \(elapsed)")
        #expect(!RawFrame.frames(in: output).contains { $0.type == 1 }, "no request was answered")
    }
}
