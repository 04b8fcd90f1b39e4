import Foundation
import TestSupport
import Testing

/// Every failure of leader election, the watches and the Event writer reaches the log at warning, with its cause and
/// the fix, once per cause per minute, and is counted: `triggergate serve` against the fake API server with a fault.
@Suite(.tags(.integration)) struct ReconcilerWarningTests {
    /// One cause: how the fake is made to fail, and what `serve` must say and count.
    struct Cause: Sendable, CustomTestStringConvertible {
        var name: String
        var config: String? = nil
        var faults: [FakeFault] = []
        var flags: [String] = []
        /// The log's `message` and `fix` fields.
        var message: String
        var fix: String
        /// The counter that must go up, with its labels.
        var metric: String
        var testDescription: String { name }
    }

    static let causes: [Cause] = [
        Cause(
            name: "Lease namespace missing", config: #"{"namespace_lifecycle": true}"#,
            message: "cannot take the Lease; triggers do not run until a replica leads",
            fix: "create namespace triggergate or set --lease-namespace",
            metric: #"triggergate_leader_election_errors_total{reason="namespace_not_found"}"#),
        Cause(
            name: "Lease forbidden", faults: [FakeFault(path: "/leases", count: 0, status: 403)],
            message: "cannot take the Lease; triggers do not run until a replica leads",
            fix: "grant get, create and update on leases (coordination.k8s.io) in namespace triggergate",
            metric: #"triggergate_leader_election_errors_total{reason="forbidden"}"#),
        Cause(
            name: "Lease conflict", faults: [FakeFault(method: "POST", path: "/leases", count: 0, status: 409)],
            message: "cannot take the Lease; triggers do not run until a replica leads",
            fix: "another replica wrote the Lease at the same moment",
            metric: #"triggergate_leader_election_errors_total{reason="conflict"}"#),
        Cause(
            name: "Lease timeout", faults: [FakeFault(path: "/leases", count: 0, delay: 1.5)], flags: ["--kube-timeout", "500ms"],
            message: "cannot take the Lease; triggers do not run until a replica leads",
            fix: "the API server did not answer in time",
            metric: #"triggergate_leader_election_errors_total{reason="timeout"}"#),
        Cause(
            name: "job watch: CRD not served", faults: [FakeFault(method: "GET", path: "/notebookvalidationjobs$", count: 0, status: 404)],
            message: "watch failed; reconnecting after a backoff",
            fix: "the API server does not serve notebookvalidationjobs.mlops.mlops.dev/v1alpha1; install its CRD",
            metric: #"triggergate_watch_errors_total{resource="notebookvalidationjobs",reason="not_found"}"#),
        Cause(
            name: "namespace watch forbidden", faults: [FakeFault(method: "GET", path: "/api/v1/namespaces$", count: 0, status: 403)],
            message: "watch failed; reconnecting after a backoff",
            fix: "grant list and watch on namespaces to triggergate's service account",
            metric: #"triggergate_watch_errors_total{resource="namespaces",reason="forbidden"}"#),
        Cause(
            name: "Event writer forbidden", faults: [FakeFault(method: "POST", path: "/events$", count: 0, status: 403)],
            message: "cannot write Event",
            fix: "grant create and patch on events (core) in namespace ml to triggergate's service account",
            metric: ""),
    ]

    @Test(arguments: causes) func isLoggedOnceWithTheFixAndCounted(_ cause: Cause) async throws {
        let cluster = try await ClusterHarness.start()
        if let config = cause.config { try await cluster.fake.configure(config) }
        for fault in cause.faults { try await cluster.fake.injectFault(fault) }
        let health = freePort()
        let server = try ChildProcess(triggergateBinary.path, [
            "serve", "--kubeconfig", cluster.fake.kubeconfigPath, "--listen", "127.0.0.1:\(freePort())",
            "--health-listen", "127.0.0.1:\(health)", "--lease-namespace", "triggergate", "--shutdown-delay", "0s",
            "--lease-duration", "2s", "--lease-renew-deadline", "1s", "--lease-retry-period", "200ms",
        ] + cause.flags)
        if cause.metric.isEmpty {
            try await cluster.fake.setObject(ClusterHarness.job("j", phase: "Pending"))
            try await cluster.eventually("serve leads and has the job") { server.output.contains("became the leader") }
            try await Task.sleep(for: .milliseconds(500))
            try await cluster.setPhase("j", "Succeeded", completionTime: "2026-11-29T06:00:00Z")
        }
        let warnings = { server.output.split(separator: "\n").filter { $0.contains(#""level":"warning""#) && $0.contains(cause.message) } }
        try await cluster.eventually("the warning is logged", timeout: .seconds(30)) {
            warnings().contains { $0.contains(#""fix":""# + cause.fix) }
        }
        let line = try #require(warnings().first)
        #expect(line.contains(#""reason":"#) && line.contains(#""error":"#), "\(line)")
        if !cause.metric.isEmpty {
            try await cluster.eventually("the failure is counted three times") {
                let metrics = try await run("curl", ["-s", "http://127.0.0.1:\(health)/metrics"]).stdout
                return Self.value(of: cause.metric, in: metrics) >= 3
            }
        } else {
            try await cluster.eventually("several Events failed") {
                try await cluster.fake.requests().filter { $0.method == "POST" && $0.resource == "events" }.count >= 2
            }
        }
        #expect(warnings().count == 1, "one warning per cause per minute, got:\n\(warnings().joined(separator: "\n"))")
        #expect(!server.output.contains("404 404"), "\(server.output)")
        server.signal(SIGTERM)
        _ = await server.waitForExit()
        await cluster.fake.stop()
    }

    /// The value of the sample `name{labels}` in Prometheus text, 0 when absent.
    static func value(of sample: String, in text: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.dropFirst(sample.count + 1)) ?? 0
        }
        return 0
    }
}
