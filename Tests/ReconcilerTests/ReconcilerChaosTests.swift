import Kube
@testable import ReconcilerChaos
import Testing
import TestSupport

/// The reconciler chaos run at CI size (docs/reliability.md, "Reconciler chaos"): 100 jobs succeed over 15 s while the
/// fake API server injects random faults into two real `triggergate serve` replicas, the leader is SIGKILLed once and the
/// API server restarted once; every trigger must take effect exactly once a run (every tenth job runs twice) and every
/// job's annotations must be right.
@Suite(.tags(.integration)) struct ReconcilerChaosTests {
    @Test func everyTriggerTakesEffectOnceThroughFaultsKillsAndARestart() async throws {
        let report = try await ReconcilerChaos.run(.ci(seed: 13))
        #expect(report.kills.count == 1 && report.restarts == 1)
        #expect(report.injected.counts.values.reduce(0, +) > 100, "chaos injected too little: \(report.injected.counts)")
        #expect(report.passed, "\(report.summary)\n\(report.problems.joined(separator: "\n"))")
    }
}

/// The chaos run's judge of one job and its targets: it must see a doubled effect, a pending trigger, a wrong annotation
/// and a wrong eviction.
@Suite struct ChaosJudgeTests {
    let index = 6

    func job(triggers state: String = "Succeeded", wave: String = "1") -> JSONValue {
        let run = ChaosJobs.completionTime(index)
        let status = #"{"run":"\#(run)","triggers":[{"target":"apps/v1/Deployment/ml/web-6","action":"restart","state":"\#(state)","attempts":1,"at":"T1"},{"target":"argoproj.io/v1alpha1/Application/ml/app-6","action":"sync","state":"Succeeded","attempts":1},{"target":"serving.kserve.io/v1beta1/InferenceService/ml/model-6","action":"refresh","state":"Succeeded","attempts":1,"at":"T2"},{"target":"serving.kserve.io/v1beta1/InferenceService/ml/model-6","action":"restart","state":"Succeeded","attempts":1}]}"#
        return .object([("metadata", .object([("name", "job-6"), ("annotations", .object([
            ("mlops.dev/wave-complete", .string(wave)), ("mlops.dev/completion-time", .string(run)),
            ("mlops.dev/completion-generation", "1"), ("mlops.dev/trigger-status", .string(status)),
        ]))]))])
    }

    var targets: [String: JSONValue] {
        [
            ChaosJobs.deploymentPath(index): .object([("spec", .object([("template", .object([("metadata", .object([
                ("annotations", .object([("kubectl.kubernetes.io/restartedAt", "T1")]))]))]))]))]),
            ChaosJobs.applicationPath(index): .object([("operation", .object([("info", .array([
                .object([("name", "triggergate-run"), ("value", .string(ChaosJobs.completionTime(index)))])]))]))]),
            ChaosJobs.inferenceServicePath(index): .object([("metadata", .object([("annotations", .object([("mlops.dev/refreshed-at", "T2")]))]))]),
            ChaosJobs.podPath(index, "new"): .object([]),
        ]
    }

    var once: [String: Int] {
        [ChaosJobs.deploymentPath(index): 1, ChaosJobs.applicationPath(index): 1, ChaosJobs.inferenceServicePath(index): 1]
    }

    @Test func aRightJobHasNoProblems() {
        #expect(ChaosJobs.problems(index, job: job(), targets: targets, changes: once) == [])
    }

    @Test func aDoubledEffectAPendingTriggerAndAWrongWaveAreProblems() {
        var twice = once
        twice[ChaosJobs.deploymentPath(index)] = 2
        #expect(ChaosJobs.problems(index, job: job(), targets: targets, changes: twice).count == 1)
        #expect(ChaosJobs.problems(index, job: job(triggers: "Pending"), targets: targets, changes: once).count == 1)
        #expect(ChaosJobs.problems(index, job: job(wave: "0"), targets: targets, changes: once).count == 1)
        var evictedNew = targets
        evictedNew[ChaosJobs.podPath(index, "new")] = nil
        evictedNew[ChaosJobs.podPath(index, "old")] = .object([])
        #expect(ChaosJobs.problems(index, job: job(), targets: evictedNew, changes: once).count == 2)
        #expect(ChaosJobs.problems(index, job: job(), targets: [:], changes: [:]).count == 7)
    }
}
