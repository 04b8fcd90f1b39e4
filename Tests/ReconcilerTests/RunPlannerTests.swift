import Kube
import Admission
@testable import Reconciler
import Testing

@Suite struct RunPlannerTests {
    let now = Timestamp(rfc3339: "2026-11-29T06:10:00Z")!
    let deploy = Trigger(apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: nil, action: .restart)
    let app = Trigger(apiVersion: "argoproj.io/v1alpha1", kind: "Application", name: "ml-app", namespace: "argocd", action: .sync)

    func job(_ phase: String?, completion: String? = nil, generation: Int64 = 3, annotations: [String: String] = [:]) -> Job {
        Job(
            metadata: .init(name: "train", namespace: "ml", uid: "u", resourceVersion: "41", generation: generation, annotations: annotations),
            status: .init(phase: phase, completionTime: completion))
    }

    func body(_ step: NextStep) -> String? {
        guard case .patch(let body, _) = step else { return nil }
        return body.description
    }

    @Test func aRunningJobWithoutWaveAnnotationsNeedsNothing() {
        #expect(RunPlanner.next(job: job("ValidationRunning"), triggers: .valid([deploy]), now: now) == .idle)
        #expect(RunPlanner.next(job: job(nil), triggers: .none, now: now) == .idle)
    }

    @Test func aJobThatRunsAgainLosesItsWaveAnnotations() {
        let running = job("Pending", annotations: [
            "mlops.dev/wave-complete": "2", "mlops.dev/completion-time": "t", "mlops.dev/completion-generation": "2",
            "mlops.dev/trigger-status": "{}", "other": "x",
        ])
        let step = RunPlanner.next(job: running, triggers: .none, now: now)
        #expect(body(step) == #"{"metadata":{"resourceVersion":"41","annotations":{"mlops.dev/wave-complete":null,"mlops.dev/completion-time":null,"mlops.dev/completion-generation":null}}}"#)
    }

    @Test func aSuccessWithoutTriggersSetsOnlyTheWaveAnnotations() {
        let done = job("Succeeded", completion: "2026-11-29T06:09:58Z", annotations: ["argocd.argoproj.io/sync-wave": "4", "mlops.dev/wave-failed": "4"])
        let step = RunPlanner.next(job: done, triggers: .none, now: now)
        #expect(body(step) == #"{"metadata":{"resourceVersion":"41","annotations":{"mlops.dev/wave-complete":"4","mlops.dev/completion-time":"2026-11-29T06:09:58Z","mlops.dev/completion-generation":"3","mlops.dev/wave-failed":null}}}"#)
        let marked = job("Succeeded", completion: "2026-11-29T06:09:58Z", annotations: [
            "mlops.dev/wave-complete": "4", "mlops.dev/completion-time": "2026-11-29T06:09:58Z", "mlops.dev/completion-generation": "3",
        ])
        #expect(RunPlanner.next(job: marked, triggers: .none, now: now) == .idle)
    }

    @Test func aFailureSetsWaveFailedWithTheDefaultWave() {
        let step = RunPlanner.next(job: job("Failed", annotations: ["argocd.argoproj.io/sync-wave": "x"]), triggers: .valid([deploy]), now: now)
        #expect(body(step) == #"{"metadata":{"resourceVersion":"41","annotations":{"mlops.dev/wave-failed":"0","mlops.dev/completion-time":"2026-11-29T06:10:00Z","mlops.dev/completion-generation":"3"}}}"#)
    }

    @Test func aSuccessBeginsARunWithEveryTriggerPendingAndRecordsEveryFirstAttempt() throws {
        let step = RunPlanner.next(job: job("Succeeded", completion: "2026-11-29T06:09:58Z"), triggers: .valid([deploy, app]), now: now)
        let status = #"{"run":"2026-11-29T06:09:58Z","started":"2026-11-29T06:10:00Z","triggers":[{"target":"apps/v1/Deployment/ml/web","action":"restart","state":"Pending","attempts":1,"at":"2026-11-29T06:10:00Z"},{"target":"argoproj.io/v1alpha1/Application/argocd/ml-app","action":"sync","state":"Pending","attempts":1,"at":"2026-11-29T06:10:00Z"}]}"#
        let expected = JSONValue.object([("metadata", .object([("resourceVersion", .string("41")), ("annotations", .object([
            ("mlops.dev/wave-complete", .string("0")), ("mlops.dev/completion-time", .string("2026-11-29T06:09:58Z")),
            ("mlops.dev/completion-generation", .string("3")), ("mlops.dev/trigger-status", .string(status)),
        ]))]))])
        #expect(body(step) == expected.description)
        guard case .patch(_, .finish(let begun?)) = step else { Issue.record("not a run start: \(step)"); return }
        #expect(begun.annotation == status)
    }

    @Test func eachAttemptIsRecordedBeforeItIsMadeAndFinishedTriggersAreSkipped() throws {
        var status = TriggerStatus(run: "2026-11-29T06:09:58Z", started: "2026-11-29T06:10:00Z", triggers: [
            .init(target: "apps/v1/Deployment/ml/web", action: .restart, state: .Succeeded, attempts: 1, at: "2026-11-29T06:10:00Z"),
            .init(target: "argoproj.io/v1alpha1/Application/argocd/ml-app", action: .sync),
        ])
        let annotations = [
            "mlops.dev/wave-complete": "0", "mlops.dev/completion-time": "2026-11-29T06:09:58Z", "mlops.dev/completion-generation": "3",
        ]
        var current = job("Succeeded", completion: "2026-11-29T06:09:58Z", annotations: annotations.merging(["mlops.dev/trigger-status": status.annotation]) { $1 })
        let record = RunPlanner.next(job: current, triggers: .valid([deploy, app]), now: now)
        guard case .patch(_, .recordAttempts([1])) = record else { Issue.record("not a record: \(record)"); return }
        status.recordAttempt(1, now: now)
        #expect(status.triggers[1].attempts == 1 && status.triggers[1].at == "2026-11-29T06:10:00Z")
        #expect(body(record) == JobPatch.status(status, of: current).description)

        current.metadata.annotations?["mlops.dev/trigger-status"] = status.annotation
        #expect(RunPlanner.next(job: current, triggers: .valid([deploy, app]), now: now) == .perform([1], status))

        status.recordResult(1, state: .Failed, message: "no")
        current.metadata.annotations?["mlops.dev/trigger-status"] = status.annotation
        #expect(RunPlanner.next(job: current, triggers: .valid([deploy, app]), now: now) == .idle)
    }

    @Test func everyUnfinishedTriggerIsPerformedTogetherOnceItsAttemptIsRecorded() throws {
        let refresh = Trigger(apiVersion: "argoproj.io/v1alpha1", kind: "Application", name: "ml-app", namespace: "argocd", action: .refresh)
        var status = TriggerStatus(run: "2026-11-29T06:09:58Z", started: "2026-11-29T06:10:00Z", triggers: [
            .init(target: "apps/v1/Deployment/ml/web", action: .restart, attempts: 2, at: "2026-11-29T06:10:00Z"),
            .init(target: "argoproj.io/v1alpha1/Application/argocd/ml-app", action: .sync, state: .Succeeded, attempts: 1),
            .init(target: "argoproj.io/v1alpha1/Application/argocd/ml-app", action: .refresh),
        ])
        var current = job("Succeeded", completion: "2026-11-29T06:09:58Z", annotations: [
            "mlops.dev/wave-complete": "0", "mlops.dev/completion-time": "2026-11-29T06:09:58Z", "mlops.dev/completion-generation": "3",
            "mlops.dev/trigger-status": status.annotation,
        ])
        let triggers = ParsedTriggers.valid([deploy, app, refresh])
        guard case .patch(_, .recordAttempts([2])) = RunPlanner.next(job: current, triggers: triggers, now: now) else {
            Issue.record("the unrecorded attempt was not recorded first"); return
        }
        status.recordAttempt(2, now: now)
        current.metadata.annotations?["mlops.dev/trigger-status"] = status.annotation
        #expect(RunPlanner.next(job: current, triggers: triggers, now: now) == .perform([0, 2], status))
    }

    /// Found by the reconciler chaos run (docs/reliability.md): a job that succeeded again within the second of its last
    /// run's attempts recorded the same `restartedAt` and `refreshed-at`, so the second run's writes changed nothing.
    @Test func aRunAgainWithinTheSecondOfTheLastAttemptsRecordsLaterTimes() {
        let old = TriggerStatus(run: "2026-11-29T06:09:50Z", started: "2026-11-29T06:10:00Z", triggers: [
            .init(target: "apps/v1/Deployment/ml/web", action: .restart, state: .Succeeded, attempts: 1, at: "2026-11-29T06:10:00Z"),
            .init(target: "argoproj.io/v1alpha1/Application/argocd/ml-app", action: .sync, state: .Succeeded, attempts: 1, at: "2026-11-29T06:10:00Z"),
        ])
        let current = job("Succeeded", completion: "2026-11-29T06:09:59Z", annotations: [
            "mlops.dev/wave-complete": "0", "mlops.dev/completion-time": "2026-11-29T06:09:50Z", "mlops.dev/completion-generation": "3",
            "mlops.dev/trigger-status": old.annotation,
        ])
        guard case .patch(_, .finish(var begun?)) = RunPlanner.next(job: current, triggers: .valid([deploy, app]), now: now) else {
            Issue.record("no new run"); return
        }
        #expect(begun.started == "2026-11-29T06:10:01Z" && begun.triggers[0].at == "2026-11-29T06:10:01Z")
        begun.recordAttempt(1, now: now)
        #expect(begun.triggers[1].at == "2026-11-29T06:10:01Z")
        #expect(RunPlanner.start(after: old, now: Timestamp(rfc3339: "2026-11-29T06:10:05Z")!).description == "2026-11-29T06:10:05Z")
    }

    @Test func aNewCompletionTimeIsANewRun() {
        let old = TriggerStatus(run: "2026-11-29T05:00:00Z", started: "2026-11-29T05:00:01Z", triggers: [
            .init(target: "apps/v1/Deployment/ml/web", action: .restart, state: .Succeeded, attempts: 1),
        ])
        let current = job("Succeeded", completion: "2026-11-29T06:09:58Z", annotations: [
            "mlops.dev/wave-complete": "0", "mlops.dev/completion-time": "2026-11-29T05:00:00Z", "mlops.dev/completion-generation": "3",
            "mlops.dev/trigger-status": old.annotation,
        ])
        guard case .patch(let body, .finish(let begun?)) = RunPlanner.next(job: current, triggers: .valid([deploy]), now: now) else {
            Issue.record("no new run"); return
        }
        #expect(begun.run == "2026-11-29T06:09:58Z" && begun.triggers[0].state == .Pending)
        #expect(body.description.contains(#""mlops.dev/completion-time":"2026-11-29T06:09:58Z""#))
    }

    @Test func withoutCompletionTimeTheObservedTimeIsTheRunAndSurvivesARestart() {
        let first = RunPlanner.next(job: job("Succeeded"), triggers: .valid([deploy]), now: now)
        guard case .patch(_, .finish(let begun?)) = first else { Issue.record("no run"); return }
        #expect(begun.run == "2026-11-29T06:10:00Z")
        let later = Timestamp(seconds: now.seconds + 3600)
        let recorded = job("Succeeded", annotations: [
            "mlops.dev/wave-complete": "0", "mlops.dev/completion-time": "2026-11-29T06:10:00Z", "mlops.dev/completion-generation": "3",
            "mlops.dev/trigger-status": begun.annotation,
        ])
        guard case .perform([0], let continued) = RunPlanner.next(job: recorded, triggers: .valid([deploy]), now: later) else {
            Issue.record("the run was not continued"); return
        }
        #expect(continued.run == "2026-11-29T06:10:00Z" && continued.triggers[0].at == "2026-11-29T06:10:00Z")
    }

    @Test func anInvalidTriggerAnnotationIsRecordedOnce() {
        let step = RunPlanner.next(job: job("Succeeded", completion: "c"), triggers: .invalid("[0].kind: missing"), now: now)
        guard case .patch(_, .finish(let begun?)) = step else { Issue.record("not recorded"); return }
        #expect(begun.message == "[0].kind: missing" && begun.triggers.isEmpty)
        let recorded = job("Succeeded", completion: "c", annotations: [
            "mlops.dev/wave-complete": "0", "mlops.dev/completion-time": "c", "mlops.dev/completion-generation": "3",
            "mlops.dev/trigger-status": begun.annotation,
        ])
        #expect(RunPlanner.next(job: recorded, triggers: .invalid("[0].kind: missing"), now: now) == .idle)
    }

    @Test func aJobBeingDeletedIsLeftAlone() {
        var deleting = job("Succeeded", completion: "c")
        deleting.metadata.deletionTimestamp = "2026-11-29T06:00:00Z"
        #expect(RunPlanner.next(job: deleting, triggers: .valid([deploy]), now: now) == .idle)
    }
}
