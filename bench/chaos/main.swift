// The reconciler chaos run at full size: 1,000 jobs succeed over 60 s while the fake API server injects seeded random
// faults into three `triggergate serve` replicas, the leader is killed twice and the API server restarted twice.
//
//     swift build --product triggergate --product reconciler-chaos && .build/debug/reconciler-chaos [--ci] [seed] [kind=rate ...]
//
// `--ci` runs the CI size (100 jobs over 15 s); `kind=rate` changes the rate of one fault kind (`error=0.1`), and
// `max_delay=S` the longest delay. Prints progress, then one PASS or FAIL line; exits 1 on FAIL.

import Foundation
import ReconcilerChaos
import TestSupport

let arguments = CommandLine.arguments.dropFirst()
let seed = arguments.compactMap { UInt64($0) }.first ?? 1
var settings = arguments.contains("--ci") ? ChaosSettings.ci(seed: seed) : ChaosSettings.full(seed: seed)
for argument in arguments where argument.contains("=") {
    let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
    guard let value = Double(parts[1]) else { continue }
    if parts[0] == "max_delay" { settings.chaos.maxDelay = value } else { settings.chaos.rates[parts[0]] = value }
}
do {
    let report = try await ReconcilerChaos.run(settings)
    report.problems.forEach { print("problem: \($0)") }
    print(report.summary)
    exit(report.passed ? 0 : 1)
} catch {
    print("FAIL reconciler chaos, seed \(seed): \(error)")
    exit(1)
}
