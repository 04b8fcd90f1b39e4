public import TestSupport
import Foundation
import Kube

/// What a reconciler chaos run found.
public struct ChaosReport: Sendable {
    /// What was run.
    public var settings: ChaosSettings
    /// The faults the fake injected.
    public var injected: FakeChaosReport
    /// The identities of the leaders killed, in order.
    public var kills: [String]
    /// API server restarts made.
    public var restarts: Int
    /// Times the Lease changed hands (its `leaseTransitions`): the kills' takeovers, and any leader that lost the Lease.
    public var leaseTransitions: Int
    /// Seconds from the first success to the last job settled.
    public var seconds: Double
    /// Seconds from chaos off to the last job settled.
    public var quiescence: Double
    /// Everything found wrong; empty when the run passed.
    public var problems: [String]

    /// Whether every trigger took effect exactly once a run, every job's annotations are right and nothing is left pending.
    public var passed: Bool { problems.isEmpty }

    /// One line: PASS or FAIL, with the run's size, seed, disruptions and faults.
    public var summary: String {
        let faults = injected.counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let head = "\(passed ? "PASS" : "FAIL") reconciler chaos, seed \(injected.seed): \(settings.jobs) jobs over \(settings.spread), "
            + "\(settings.replicas) replicas, \(kills.count) leader kills, \(leaseTransitions) lease transitions, \(restarts) API server restarts, "
            + "\(injected.requests) requests under chaos (\(faults)); settled \(String(format: "%.1f", quiescence)) s after chaos, "
            + "\(String(format: "%.1f", seconds)) s in all"
        if passed { return head + "; every trigger took effect exactly once a run, every job's annotations are right" }
        return head + "; \(problems.count) problems, first: " + problems.prefix(5).joined(separator: "; ")
    }
}

/// The reconciler chaos run (docs/reliability.md, "Reconciler chaos"): real `triggergate serve` replicas against the
/// fake API server while it injects seeded random faults, the jobs succeed one after another, the leader is killed and
/// the API server restarted; then chaos stops, and once every job has settled each job and target is checked.
public enum ReconcilerChaos {
    /// Runs it; `log` gets progress lines.
    public static func run(_ settings: ChaosSettings, log: @escaping @Sendable (String) -> Void = { print($0) }) async throws -> ChaosReport {
        let fake = try await FakeAPIServer.start(.init(tls: false, history: 200_000))
        do {
            let report = try await run(settings, fake: fake, log: log)
            await fake.stop()
            return report
        } catch {
            await fake.stop()
            throw error
        }
    }

    private static func run(_ settings: ChaosSettings, fake: FakeAPIServer, log: @escaping @Sendable (String) -> Void) async throws -> ChaosReport {
        var config = try KubeConfig.fromKubeconfig(path: fake.kubeconfigPath)
        config.userAgent = "chaos-driver"
        config.qps = 10_000
        config.burst = 10_000
        let client = KubeClient(config: config)
        for batch in ChaosJobs.objects(settings.jobs) { try await fake.setObjects(batch) }
        var replicas = try (0..<settings.replicas).map { _ in try ServeReplica.start(kubeconfig: fake.kubeconfigPath) }
        try await until("a replica leads", timeout: .seconds(30)) { try await fake.leaseHolder() != nil }
        try await fake.startChaos(settings.chaos)
        log("chaos on (seed \(settings.chaos.seed), rates \(settings.chaos.rates.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")), delays up to \(settings.chaos.maxDelay) s); "
            + "\(settings.jobs) jobs succeed over \(settings.spread)")

        let start = ContinuousClock.now
        let successes = Task { try await succeed(settings, client: client, start: start) }
        let reruns = Task { try await rerun(settings, client: client, start: start) }
        var kills: [String] = []
        var restarts = 0
        let disruptions = (settings.leaderKills.map { ($0, true) } + settings.apiRestarts.map { ($0, false) }).sorted { $0.0 < $1.0 }
        for (fraction, isKill) in disruptions {
            try await Task.sleep(until: start + settings.spread * fraction)
            if isKill {
                var leader: String?
                try await until("a running replica leads", timeout: .seconds(30)) {
                    let holder = try await fake.leaseHolder()
                    leader = replicas.first { $0.holds(holder) }?.identity
                    return leader != nil
                }
                let index = replicas.firstIndex { $0.identity == leader }!
                replicas[index].process.signal(SIGKILL)
                _ = await replicas[index].process.waitForExit()
                kills.append(replicas[index].identity)
                replicas[index] = try ServeReplica.start(kubeconfig: fake.kubeconfigPath)
                log("killed leader \(kills.last!) with SIGKILL, started \(replicas[index].identity)")
            } else {
                try await fake.restart(refusingFor: settings.restartOutage)
                restarts += 1
                log("restarted the API server (refusing connections for \(settings.restartOutage) s)")
            }
        }
        try await successes.value
        try await reruns.value
        try await Task.sleep(for: .seconds(1))
        let injected = try await fake.stopChaos()
        let chaosOff = ContinuousClock.now
        log("chaos off: \(injected.requests) requests drawn for, injected \(injected.counts)")

        var jobs: [JSONValue] = []
        var problems: [String] = []
        do {
            try await until("every job settled", timeout: settings.quiescence) {
                jobs = try await client.list(.notebookValidationJobs, namespace: ChaosJobs.namespace).items
                return jobs.count == settings.jobs && jobs.allSatisfy { ChaosJobs.isSettled($0) }
            }
        } catch is ChaosTimeout {
            problems.append("\(jobs.filter { !ChaosJobs.isSettled($0) }.count) jobs not settled \(settings.quiescence) after chaos")
        }
        let settled = ContinuousClock.now
        problems += try await check(settings, jobs: jobs, client: client, fake: fake)
        let transitions = (try await fake.object(at: serveLeasePath)?["spec"] as? [String: Any])?["leaseTransitions"] as? Int ?? 0
        for replica in replicas {
            replica.process.signal(SIGTERM)
            let code = await replica.process.waitForExit()
            if code != 0 { problems.append("replica \(replica.identity) exited with \(code): \(replica.process.output.suffix(2000))") }
        }
        return ChaosReport(settings: settings, injected: injected, kills: kills, restarts: restarts, leaseTransitions: transitions,
                           seconds: seconds(settled - start), quiescence: seconds(settled - chaosOff), problems: problems)
    }

    /// Marks the jobs Succeeded one after another, evenly over `settings.spread`, as the operator would; a write refused
    /// by the restarting API server is repeated.
    private static func succeed(_ settings: ChaosSettings, client: KubeClient, start: ContinuousClock.Instant) async throws {
        for index in 0..<settings.jobs {
            try await Task.sleep(until: start + settings.spread * (Double(index) / Double(settings.jobs)))
            try await until("job \(index) is marked Succeeded", timeout: .seconds(30)) {
                do {
                    try await client.mergePatch(.notebookValidationJobs, namespace: ChaosJobs.namespace, name: ChaosJobs.name(index),
                                                subresource: "status", patch: ChaosJobs.success(index))
                    return true
                } catch {
                    return false
                }
            }
        }
    }

    /// Runs the jobs that run twice again, each once its first run is settled: Running, then Succeeded with the second
    /// run's completionTime.
    private static func rerun(_ settings: ChaosSettings, client: KubeClient, start: ContinuousClock.Instant) async throws {
        for index in 0..<settings.jobs where ChaosJobs.reruns(index) {
            try await Task.sleep(until: start + settings.spread * (Double(index) / Double(settings.jobs)))
            var last: JSONValue?
            do {
                try await until("job \(index)'s first run settled", timeout: settings.quiescence) {
                    last = try? await client.get(.notebookValidationJobs, namespace: ChaosJobs.namespace, name: ChaosJobs.name(index))
                    return last.map { ChaosJobs.isSettled($0, run: 1) } ?? false
                }
            } catch let timeout as ChaosTimeout {
                throw ChaosTimeout(what: timeout.what + " (its annotations: \(last?["metadata", "annotations"]?.description ?? "unread"))",
                                   timeout: timeout.timeout)
            }
            for patch in [ChaosJobs.running, ChaosJobs.success(index, run: 2)] {
                try await until("job \(index) is patched for its second run", timeout: .seconds(30)) {
                    do {
                        try await client.mergePatch(.notebookValidationJobs, namespace: ChaosJobs.namespace, name: ChaosJobs.name(index),
                                                    subresource: "status", patch: patch)
                        return true
                    } catch {
                        return false
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
            }
        }
    }

    private static func check(_ settings: ChaosSettings, jobs: [JSONValue], client: KubeClient, fake: FakeAPIServer) async throws -> [String] {
        let changes = try await fake.changes()
        let byName = Dictionary(jobs.compactMap { job in job["metadata", "name"]?.stringValue.map { ($0, job) } }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        for index in 0..<settings.jobs {
            guard let job = byName[ChaosJobs.name(index)] else {
                problems.append("\(ChaosJobs.name(index)) is missing")
                continue
            }
            var targets: [String: JSONValue] = [:]
            for (resource, path, name) in [(ResourceType.deployments, ChaosJobs.deploymentPath(index), "web-\(index)"),
                                           (.applications, ChaosJobs.applicationPath(index), "app-\(index)"),
                                           (.inferenceServices, ChaosJobs.inferenceServicePath(index), "model-\(index)"),
                                           (.pods, ChaosJobs.podPath(index, "old"), "model-\(index)-old"),
                                           (.pods, ChaosJobs.podPath(index, "new"), "model-\(index)-new")] {
                do {
                    targets[path] = try await client.get(resource, namespace: ChaosJobs.namespace, name: name)
                } catch let error as KubeError where error.statusCode == 404 {
                    continue
                }
            }
            problems += ChaosJobs.problems(index, job: job, targets: targets, changes: changes)
        }
        return problems
    }

    private static func until(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ChaosTimeout(what: what, timeout: timeout)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Something the chaos run waits for did not happen in time.
public struct ChaosTimeout: Error, CustomStringConvertible {
    /// What it waited for.
    public var what: String
    /// How long.
    public var timeout: Duration
    public var description: String { "timed out after \(timeout) waiting until \(what)" }
}
