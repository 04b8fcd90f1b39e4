import Foundation
import Sockets
import TLS
import TestSupport
import Testing

@Suite(.tags(.integration), .serialized)
struct ConnectionLifecycleTests {
    @Test func aClientStallingInItsHeaderIsDroppedWhileOthersAreServed() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--header-read-timeout", "1s"])
        let stalled = try await server.connect()
        try await stalled.write(Array("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Ty".utf8), deadline: .now + .seconds(5))
        let started = ContinuousClock.now

        let fixture = try #require(try admissionFixtures().first)
        let served = try await server.curl(["-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data-binary", "@\(fixture.path)", server.url("/validate")])
        #expect(served.stdout == "200")

        var ended = false
        while ContinuousClock.now - started < .seconds(8) {
            guard let bytes = try? await stalled.read(maxCount: 4096, deadline: .now + .seconds(8)), !bytes.isEmpty else {
                ended = true
                break
            }
        }
        let elapsed = ContinuousClock.now - started
        #expect(ended, "the stalled connection was not dropped")
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(8), "dropped after \(elapsed)")
    }

    @Test func replacedCertificateFilesAreServedWithoutFailedRequests() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--certificate-check-interval", "200ms"])
        let oldSerial = try await certificates.serial()
        let fixture = try #require(try admissionFixtures().first)
        let load = try ChildProcess("h2load", ["--h1", "-c", "8", "-D", "6", "-d", fixture.path, server.url("/validate")])

        try await Task.sleep(for: .seconds(1))
        let replacement = try await CertificateDirectory.make()
        defer { replacement.remove() }
        let newSerial = try await replacement.serial()
        #expect(newSerial != oldSerial)
        for (from, to) in [(replacement.certificate, certificates.certificate), (replacement.key, certificates.key)] {
            let staged = to + ".new"
            try? FileManager.default.removeItem(atPath: staged)
            try FileManager.default.copyItem(atPath: from, toPath: staged)
            #expect(rename(staged, to) == 0)
        }
        try await Task.sleep(for: .seconds(1))
        let presented = try await run("sh", ["-c",
            "openssl s_client -connect 127.0.0.1:\(server.port) -CAfile \(replacement.ca) </dev/null 2>/dev/null | openssl x509 -noout -serial"])
        #expect(presented.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == newSerial)
        let verified = try await run("curl", ["--silent", "--cacert", replacement.ca, "-o", "/dev/null", "-w", "%{http_code}",
            "-X", "POST", "--data-binary", "@\(fixture.path)", server.url("/validate")])
        #expect(verified.stdout == "200")

        #expect(await load.waitForExit() == 0)
        #expect(load.output.contains(" 0 failed, 0 errored"), "\(load.output)")
        #expect(server.process.output.contains("reloaded the serving certificate"))
    }

    @Test func sigtermFailsReadinessAtOnceFinishesTheLoadAndExitsZero() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--shutdown-delay", "4s", "--shutdown-grace", "5s"])
        let fixture = try #require(try admissionFixtures().first)
        #expect(try await server.healthStatus("/readyz") == "200")
        let load = try ChildProcess("h2load", ["--h1", "-c", "16", "-D", "2", "-d", fixture.path, server.url("/validate")])
        try await Task.sleep(for: .milliseconds(500))

        let signalled = ContinuousClock.now
        server.process.signal(SIGTERM)
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await server.healthStatus("/readyz") == "503")

        #expect(await load.waitForExit() == 0)
        #expect(load.output.contains(" 0 failed, 0 errored"), "\(load.output)")
        #expect(!load.output.contains("requests: 0 total"), "\(load.output)")
        #expect(await server.process.waitForExit() == 0, "\(server.process.output)")
        #expect(ContinuousClock.now - signalled >= .seconds(4))
        let lines = server.process.output.split(separator: "\n")
        #expect(lines.contains { $0.contains("shutting down: /readyz now fails") })
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["time"] is String && object?["level"] is String && object?["message"] is String, "not a JSON log line: \(line)")
        }
    }

    @Test func theDependencyGraphHasNoSwiftNIO() async throws {
        // `--ignore-lock`: the running `swift test` holds the scratch directory's lock; this command only reads.
        let result = try await run("timeout", ["120", "swift", "package", "--ignore-lock", "show-dependencies", "--format", "flatlist"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("swift-service-lifecycle"))
        #expect(!result.stdout.lowercased().contains("nio"), "\(result.stdout)")
    }
}
