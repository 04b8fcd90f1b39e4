import Foundation
import TestSupport
import Testing

/// One scenario's result from `bench/faults/faults.py --json`.
private struct FaultRun {
    var scenario: [String: Any]
    var text: String

    /// A count inside the scenario's result, at `path` (for example `["total", "failed"]`); -1 when missing.
    func count(_ path: String...) -> Int {
        var value: Any? = scenario
        for key in path { value = (value as? [String: Any])?[key] }
        return value as? Int ?? -1
    }

    var violations: [String] { scenario["violations"] as? [String] ?? ["no violations list"] }
}

/// `bench/faults/faults.py`, the faults-under-load scenarios, in their short form against the real binary: certificate
/// rotation, SIGTERM over HTTP/1.1 and HTTP/2, an API server outage, and `--max-connections`. The script drives the
/// load, judges each scenario and prints one JSON line; the longer runs are in docs/reliability.md.
@Suite(.tags(.integration), .serialized)
struct FaultsUnderLoadTests {
    private func faults(_ scenario: String, seconds: Int, rps: Int = 90, extra: [String] = []) async throws -> FaultRun {
        let result = try await run(packageRoot.appendingPathComponent(".tools/venv/bin/python").path, [
            packageRoot.appendingPathComponent("bench/faults/faults.py").path, "--binary", triggergateBinary.path,
            "--scenario", scenario, "--seconds", "\(seconds)", "--rps", "\(rps)", "--json",
        ] + extra)
        let line = try #require(result.stdout.split(separator: "\n").last, "faults.py printed nothing: \(result.stderr)")
        let object = try #require(
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        try #require(scenarios.count == 1, "\(result.stdout)")
        #expect(result.status == ((object["pass"] as? Bool) == true ? 0 : 1), "the exit code follows the PASS line")
        return FaultRun(scenario: scenarios[0], text: result.stdout)
    }

    @Test func certificateRotationUnderLoadFailsNoRequestAndNewHandshakesSeeEachNewCertificate() async throws {
        let outcome = try await faults("rotation", seconds: 8)
        #expect(outcome.violations.isEmpty, "\(outcome.text)")
        let swaps = outcome.scenario["swaps"] as? [[String: Any]] ?? []
        #expect(swaps.count >= 5 && swaps.allSatisfy { $0["seen"] as? Bool == true }, "\(outcome.text)")
        #expect(outcome.count("total", "failed") == 0 && outcome.count("total", "ok") > 300, "\(outcome.text)")
    }

    @Test(arguments: ["h1", "h2"])
    func sigtermUnderLoadFailsNoRequestInFlightAndExitsZeroInOrder(_ protocolName: String) async throws {
        let outcome = try await faults("sigterm-\(protocolName)", seconds: 6)
        #expect(outcome.violations.isEmpty, "\(outcome.text)")
        #expect(outcome.count("exit_code") == 0, "\(outcome.text)")
        #expect(outcome.count("total", "failed") == 0 && outcome.count("total", "ok") > 200, "\(outcome.text)")
    }

    @Test func anAPIServerOutageLeavesAdmissionAsItWasAndTheReconcilerRecovers() async throws {
        let outcome = try await faults("outage", seconds: 9)
        #expect(outcome.violations.isEmpty, "\(outcome.text)")
        for phase in ["before", "API down", "after"] {
            #expect(outcome.count("phases", phase, "failed") == 0 && outcome.count("phases", phase, "ok") > 50, "\(phase): \(outcome.text)")
        }
        #expect(outcome.count("watch_restarts") >= 1, "\(outcome.text)")
    }

    @Test func pastMaxConnectionsNewConnectionsAreClosedWhileTheOpenOnesAreServedAndTheLimitRecovers() async throws {
        let outcome = try await faults("connections", seconds: 4, rps: 40, extra: ["--max-connections", "20"])
        #expect(outcome.violations.isEmpty, "\(outcome.text)")
        #expect(outcome.count("held") == 19 && outcome.count("closed") == 30 && outcome.count("held_after") == 19, "\(outcome.text)")
        #expect(outcome.count("client", "failed") == 0, "\(outcome.text)")
    }
}
