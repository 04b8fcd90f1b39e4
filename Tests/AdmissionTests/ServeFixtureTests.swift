import Admission
import Foundation
import Testing
import TestSupport

/// Every captured AdmissionReview sent to the real `triggergate serve` over HTTPS with curl (HTTP/1.1, as the API
/// server calls, and every other one over HTTP/2), answered exactly as `reviewAdmission` answers it in-process.
@Suite(.tags(.integration)) struct ServeFixtureTests {
    @Test func fixturesThroughTheRealServer() async throws {
        let port = freePort()
        let health = freePort()
        let server = try ChildProcess(triggergateBinary.path, [
            "serve", "--listen", "127.0.0.1:\(port)", "--health-listen", "127.0.0.1:\(health)",
            "--controller-username", testPolicy.controllerUsername,
        ])
        defer { server.signal(SIGKILL) }
        try await waitForPort(port)
        let directory = fixturesRoot.appendingPathComponent("admission")
        for (index, fixture) in AdmissionFixture.all.enumerated() {
            let path = fixture.webhook == .validate ? "validate" : "mutate"
            let result = try await run("curl", [
                "-sk", index % 2 == 0 ? "--http1.1" : "--http2", "-X", "POST", "-H", "Content-Type: application/json",
                "--data-binary", "@" + directory.appendingPathComponent(fixture.file).path,
                "-w", "\n%{http_code} %{content_type} %{http_version}", "https://127.0.0.1:\(port)/\(path)?timeout=10s",
            ])
            #expect(result.status == 0, "\(fixture.file): curl \(result.stderr)\n\(server.output)")
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let want = String(decoding: reviewAdmission(body: fixture.body, webhook: fixture.webhook, policy: testPolicy), as: UTF8.self)
            let version = index % 2 == 0 ? "1.1" : "2"
            #expect(lines.last.map { $0.hasPrefix("200 application/json") && $0.hasSuffix(" \(version)") } == true,
                    "\(fixture.file): \(lines.last ?? "")")
            #expect(lines.dropLast().joined(separator: "\n") == want, "\(fixture.file)")
        }
    }
}
