import Foundation
import Kube
import Reconciler

/// The jobs of a chaos run and their targets: job `job-N` in namespace `ml` restarts Deployment `web-N`, syncs
/// Application `app-N`, refreshes InferenceService `model-N` and restarts it, which evicts its pod `model-N-old`
/// (created before the run) and must leave `model-N-new` (created after it). Every object that a trigger changes has
/// that one trigger, so its changes at the fake count the trigger's effects. Every fourth job succeeds without a
/// `completionTime`, so its run is keyed by the time the success was first observed (SPEC §5). Every tenth job (4, 14,
/// ...) runs again once its first run is done, and succeeds a second time with a new `completionTime`: its triggers
/// (no sync: with no Argo CD to finish the first operation, a second sync would wait for ever) must then take effect
/// exactly twice, once a run.
enum ChaosJobs {
    static let namespace = "ml"
    static let wave = "1"

    static func name(_ index: Int) -> String { "job-\(index)" }

    static func deploymentPath(_ index: Int) -> String { "/apis/apps/v1/namespaces/ml/deployments/web-\(index)" }
    static func applicationPath(_ index: Int) -> String { "/apis/argoproj.io/v1alpha1/namespaces/ml/applications/app-\(index)" }
    static func inferenceServicePath(_ index: Int) -> String { "/apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices/model-\(index)" }
    static func podPath(_ index: Int, _ age: String) -> String { "/api/v1/namespaces/ml/pods/model-\(index)-\(age)" }

    /// Whether job `index` succeeds with a `status.completionTime`.
    static func hasCompletionTime(_ index: Int) -> Bool { index % 4 != 3 }

    /// Whether job `index` runs and succeeds a second time (never one without a `completionTime`).
    static func reruns(_ index: Int) -> Bool { index % 10 == 4 }

    /// The runs job `index` ends with.
    static func runs(_ index: Int) -> Int { reruns(index) ? 2 : 1 }

    /// The job's `status.completionTime` (and so its run key) in its run `run` (1 or 2), when it has one: one second
    /// apart from job to job.
    static func completionTime(_ index: Int, run: Int = 1) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: 1_796_083_200 + Double(index) + Double(run - 1) * 100_000))
    }

    /// The namespace, and each job (Running) with its three targets, as JSON arrays of at most `batch` jobs.
    static func objects(_ count: Int, batch: Int = 100) -> [String] {
        let namespace = #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ml"}}"#
        return [("[" + namespace + "]")] + stride(from: 0, to: count, by: batch).map { start in
            "[" + (start..<min(count, start + batch)).flatMap(objects(of:)).joined(separator: ",") + "]"
        }
    }

    private static func objects(of index: Int) -> [String] {
        let triggers = "[{apiVersion: apps/v1, kind: Deployment, name: web-\(index), action: restart}, "
            + (reruns(index) ? "" : "{apiVersion: argoproj.io/v1alpha1, kind: Application, name: app-\(index), action: sync}, ")
            + "{apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: model-\(index), action: refresh}, "
            + "{apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: model-\(index), action: restart}]"
        return [
            #"{"apiVersion":"mlops.mlops.dev/v1alpha1","kind":"NotebookValidationJob","metadata":{"name":"\#(name(index))","namespace":"ml","annotations":{"argocd.argoproj.io/sync-wave":"\#(wave)","mlops.dev/on-success-trigger":"\#(triggers)"}},"spec":{"notebook":{"path":"train.ipynb"}},"status":{"phase":"Running"}}"#,
            #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web-\#(index)","namespace":"ml"},"spec":{"replicas":1,"template":{"metadata":{}}}}"#,
            #"{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"app-\#(index)","namespace":"ml"},"spec":{"project":"default"}}"#,
            #"{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"name":"model-\#(index)","namespace":"ml"},"spec":{}}"#,
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"model-\#(index)-old","namespace":"ml","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"serving.kserve.io/inferenceservice":"model-\#(index)"}},"spec":{}}"#,
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"model-\#(index)-new","namespace":"ml","creationTimestamp":"2099-01-01T00:00:00Z","labels":{"serving.kserve.io/inferenceservice":"model-\#(index)"}},"spec":{}}"#,
        ]
    }

    /// The status patch of the operator starting job `index` again. Made at each use: held in a global, LeakSanitizer
    /// counted it as leaked (an enum keeps its case in the spare bits of its payload's pointer, which the scan misses).
    static var running: JSONValue { .object([("status", .object([("phase", "Running"), ("completionTime", .null)]))]) }

    /// The status patch of the operator marking job `index` Succeeded in its run `run`.
    static func success(_ index: Int, run: Int = 1) -> JSONValue {
        let time: JSONValue = hasCompletionTime(index) ? .string(completionTime(index, run: run)) : .null
        return .object([("status", .object([("phase", "Succeeded"), ("completionTime", time)]))])
    }

    /// Whether a job's triggers and wave annotations are written for its success (finished, right or wrong), in its run
    /// `run` (by default its last) when it has a `completionTime`.
    static func isSettled(_ job: JSONValue, run: Int? = nil) -> Bool {
        let annotations = job["metadata", "annotations"]?.stringMap ?? [:]
        let status = TriggerStatus(annotation: annotations[AnnotationKey.triggerStatus])
        guard annotations[AnnotationKey.waveComplete] != nil, status?.isFinished == true else { return false }
        guard let index = job["metadata", "name"]?.stringValue.flatMap({ Int($0.dropFirst("job-".count)) }),
              hasCompletionTime(index) else { return true }
        return status?.run == completionTime(index, run: run ?? runs(index))
    }

    /// What is wrong with job `index` and its targets after the run (SPEC §1.3, §5); empty when all is right. `targets`
    /// holds the objects by path as they are now; a missing one is gone.
    static func problems(_ index: Int, job: JSONValue, targets: [String: JSONValue], changes: [String: Int]) -> [String] {
        let name = name(index)
        let annotations = job["metadata", "annotations"]?.stringMap ?? [:]
        let run = hasCompletionTime(index) ? completionTime(index, run: runs(index)) : annotations[AnnotationKey.completionTime] ?? "no completion-time"
        var problems: [String] = []
        func expect(_ condition: Bool, _ problem: @autoclosure () -> String) {
            if !condition { problems.append("\(name): \(problem())") }
        }
        expect(annotations[AnnotationKey.waveComplete] == wave, "wave-complete is \(annotations[AnnotationKey.waveComplete] ?? "missing")")
        expect(annotations[AnnotationKey.waveFailed] == nil, "wave-failed is set")
        expect(annotations[AnnotationKey.completionTime] == run, "completion-time is \(annotations[AnnotationKey.completionTime] ?? "missing")")
        expect(annotations[AnnotationKey.completionGeneration] == "1",
               "completion-generation is \(annotations[AnnotationKey.completionGeneration] ?? "missing")")
        guard let status = TriggerStatus(annotation: annotations[AnnotationKey.triggerStatus]) else {
            return problems + ["\(name): no readable trigger-status: \(annotations[AnnotationKey.triggerStatus] ?? "missing")"]
        }
        expect(status.run == run, "trigger-status run is \(status.run)")
        expect(status.triggers.count == (reruns(index) ? 3 : 4) && status.triggers.allSatisfy { $0.state == .Succeeded },
               "not every trigger succeeded: \(status.annotation)")
        let at = Dictionary(status.triggers.map { ("\($0.action) \($0.target)", $0.at) }, uniquingKeysWith: { first, _ in first })
        let recordedRestart = at["restart apps/v1/Deployment/ml/web-\(index)"] ?? nil
        let recordedRefresh = at["refresh serving.kserve.io/v1beta1/InferenceService/ml/model-\(index)"] ?? nil
        let restartedAt = targets[deploymentPath(index)]?["spec", "template", "metadata", "annotations"]?.stringMap[AnnotationKey.restartedAt]
        expect(restartedAt != nil && restartedAt == recordedRestart, "restartedAt \(restartedAt ?? "missing") is not the recorded \(recordedRestart ?? "none")")
        let info = targets[applicationPath(index)]?["operation", "info"]?.arrayValue ?? []
        expect(reruns(index) || info.contains { $0["name"]?.stringValue == "triggergate-run" && $0["value"]?.stringValue == run },
               "the Application's operation is not tagged with the run: \(targets[applicationPath(index)]?["operation"]?.description ?? "none")")
        let refreshedAt = targets[inferenceServicePath(index)]?["metadata", "annotations"]?.stringMap[AnnotationKey.refreshedAt]
        expect(refreshedAt != nil && recordedRefresh.map { $0 == refreshedAt } != false,
               "refreshed-at \(refreshedAt ?? "missing") is not the recorded \(recordedRefresh ?? "none")")
        expect(targets[podPath(index, "old")] == nil, "pod model-\(index)-old, created before the run, was not evicted")
        expect(targets[podPath(index, "new")] != nil, "pod model-\(index)-new, created after the run started, was evicted")
        let expected = [deploymentPath(index): runs(index), applicationPath(index): reruns(index) ? 0 : 1, inferenceServicePath(index): runs(index)]
        for (path, count) in expected.sorted(by: { $0.key < $1.key }) {
            expect(changes[path, default: 0] == count, "\(path) was changed \(changes[path, default: 0]) times, not \(count)")
        }
        return problems
    }
}
