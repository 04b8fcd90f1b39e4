// Trigger latency and a burst of 1,000 simultaneous successes, against the fake API server answering in about 1 ms.
//
//     swift build -c release --product triggers-bench && .build/release/triggers-bench [jobs-for-latency] [burst]
//
// Latency is the reconciler's own metric `triggergate_trigger_latency_seconds`: from the moment a worker observes the
// success to the moment the run's last action is acknowledged and recorded.

import Foundation
import Kube
import Logging
import Metrics
import MetricsTestKit
import Reconciler
import TestSupport

let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
let sequential = arguments.first ?? 200
let burst = arguments.dropFirst().first ?? 1000
let metrics = TestMetrics()
MetricsSystem.bootstrap(metrics)

let fake = try await FakeAPIServer.start(.init(tls: false, history: 100_000))
try await fake.configure(#"{"latency": 0.001}"#)
var config = try KubeConfig.fromKubeconfig(path: fake.kubeconfigPath)
// As `serve --kube-qps 1000` sets them (`--kube-burst` keeps its default, 100).
config.qps = 1000
config.burst = 100
let client = KubeClient(config: config)
let triggers = "[{apiVersion: apps/v1, kind: Deployment, name: web-%d, action: restart}, {apiVersion: argoproj.io/v1alpha1, kind: Application, name: app-%d, action: sync}, {apiVersion: argoproj.io/v1alpha1, kind: Application, name: config-%d, action: refresh}]"

/// A job (and its three targets) for index `index`, in `phase`.
func objects(_ index: Int, phase: String, targets: Bool) -> [String] {
    let annotation = String(format: triggers, index, index, index).replacingOccurrences(of: "\"", with: "\\\"")
    var status = #"{"phase":"\#(phase)"}"#
    if phase == "Succeeded" { status = #"{"phase":"Succeeded","completionTime":"2026-11-29T06:00:00Z"}"# }
    var list = [#"{"apiVersion":"mlops.mlops.dev/v1alpha1","kind":"NotebookValidationJob","metadata":{"name":"job-\#(index)","namespace":"ml","annotations":{"mlops.dev/on-success-trigger":"\#(annotation)"}},"spec":{},"status":\#(status)}"#]
    if targets {
        list.append(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web-\#(index)","namespace":"ml"},"spec":{"template":{"metadata":{}}}}"#)
        list.append(#"{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"app-\#(index)","namespace":"ml"},"spec":{}}"#)
        list.append(#"{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"config-\#(index)","namespace":"ml"},"spec":{}}"#)
    }
    return list
}

func put(_ range: Range<Int>, phase: String, targets: Bool) async throws {
    try await fake.setObjects("[" + range.flatMap { objects($0, phase: phase, targets: targets) }.joined(separator: ",") + "]")
}

func latencies() -> [Double] {
    ((try? metrics.expectTimer("triggergate_trigger_latency_seconds").values) ?? []).map { Double($0) / 1e6 }.sorted()
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    values.isEmpty ? .nan : values[min(values.count - 1, Int((Double(values.count) * p).rounded(.up)) - 1)]
}

func waitFor(_ count: Int, timeout: Duration) async throws {
    let deadline = ContinuousClock.now + timeout
    while latencies().count < count {
        guard ContinuousClock.now < deadline else { throw BenchTimeout(done: latencies().count, wanted: count) }
        try await Task.sleep(for: .milliseconds(2))
    }
}

struct BenchTimeout: Error, CustomStringConvertible {
    var done: Int
    var wanted: Int
    var description: String { "only \(done) of \(wanted) runs finished in time" }
}

var logger = Logger(label: "triggers-bench")
logger.logLevel = .warning
let service = TriggerService(
    client: client,
    settings: .init(namespaces: [], workers: 16, timing: .init(leaseDuration: .seconds(15), renewDeadline: .seconds(10), retryPeriod: .milliseconds(200)),
                    leaseNamespace: "triggergate", leaseName: "triggergate", identity: "bench", deadline: .seconds(60)),
    logger: logger)
try await put(0..<(sequential + burst), phase: "Pending", targets: true)
let running = Task { try await service.run() }
while !(service.elector.isLeader && service.cache.isSynced) { try await Task.sleep(for: .milliseconds(20)) }

for index in 0..<sequential {
    try await put(index..<(index + 1), phase: "Succeeded", targets: false)
    try await waitFor(index + 1, timeout: .seconds(10))
}
let one = latencies()
print(String(format: "latency, %d jobs one at a time (3 triggers each): p50 %.1f ms, p99 %.1f ms, max %.1f ms", one.count, percentile(one, 0.5), percentile(one, 0.99), one.last ?? .nan))

let start = ContinuousClock.now
try await put(sequential..<(sequential + burst), phase: "Succeeded", targets: false)
try await waitFor(sequential + burst, timeout: .seconds(120))
let elapsed = ContinuousClock.now - start
let all = latencies()
print("burst: \(burst) simultaneous successes (3 triggers each) all done in \(elapsed); most jobs at once: \(await service.mostConcurrentJobs)")
print(String(format: "latency over all runs: p50 %.1f ms, p99 %.1f ms", percentile(all, 0.5), percentile(all, 0.99)))
running.cancel()
_ = try? await running.value
await fake.stop()
