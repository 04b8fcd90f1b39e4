// The reconciler chaos run at full size: 1,000 jobs succeed over 60 s while the fake API server injects seeded random
// faults into three `triggergate serve` replicas, the leader is killed twice and the API server restarted twice.
//
//     swift build --product triggergate --product reconciler-chaos && .build/debug/reconciler-chaos [--ci] [seed]
//
// `--ci` runs the CI size (100 jobs over 15 s). Prints progress, then one PASS or FAIL line; exits 1 on FAIL.

import Foundation
import ReconcilerChaos
import TestSupport

let arguments = CommandLine.arguments.dropFirst()
let seed = arguments.compactMap { UInt64($0) }.first ?? 1
let settings = arguments.contains("--ci") ? ChaosSettings.ci(seed: seed) : ChaosSettings.full(seed: seed)
do {
    let report = try await ReconcilerChaos.run(settings)
    report.problems.forEach { print("problem: \($0)") }
    print(report.summary)
    exit(report.passed ? 0 : 1)
} catch {
    print("FAIL reconciler chaos, seed \(seed): \(error)")
    exit(1)
}
