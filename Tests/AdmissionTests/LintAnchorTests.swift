import Admission
import Testing
import TestSupport

/// The messages `lint` gives for a text, as `document: message` (warnings marked).
private func findings(_ text: String) -> [String] {
    lintManifests(text).findings.map { "\($0.document): \($0.severity == .warning ? "warning: " : "")\($0.text)" }
}

/// A job whose trigger annotation comes through a `<<` merge key from an anchored mapping.
private let mergedTriggerJob = """
apiVersion: mlops.mlops.dev/v1alpha1
kind: NotebookValidationJob
spec:
  notebook: {path: notebooks/train.ipynb}
  x-annotations: &annotations
    mlops.dev/on-success-trigger: |
      - apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        name: predictive-analytics
        action: restart
metadata:
  name: model-training
  namespace: ml-platform
  annotations:
    <<: *annotations
    argocd.argoproj.io/sync-wave: "3"
"""

@Suite struct LintAnchorTests {
    @Test func anchorsAliasesAndMergeKeysInOneDocumentPass() {
        let text = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
              labels: &l
                x: y
              annotations:
                <<: *l
                z: !!str 1
            data: {copy: *l}
            """
        #expect(findings(text) == [])
        #expect(findings(mergedTriggerJob) == [])
    }

    @Test func aTriggerThroughAMergeKeyIsLinted() {
        #expect(findings(mergedTriggerJob.replacing("action: restart", with: "action: restrat")) == [
            #"1: metadata.annotations[mlops.dev/on-success-trigger][0].action: Unsupported value: "restrat": supported values: "restart", "sync", "refresh" (did you mean "restart"?)"#,
        ])
    }

    @Test func aTriggerThroughAnAliasIsLinted() {
        let text = """
            apiVersion: mlops.mlops.dev/v1alpha1
            kind: NotebookValidationJob
            spec:
              notebook: {path: notebooks/train.ipynb}
              x-trigger: &trigger "- {apiVersion: apps/v1, kind: Deployment, name: web, action: reboot}"
            metadata:
              name: model-training
              annotations:
                argocd.argoproj.io/sync-wave: &wave "3"
                mlops.dev/block-wave: *wave
                mlops.dev/on-success-trigger: *trigger
            """
        #expect(findings(text) == [
            #"1: metadata.annotations[mlops.dev/on-success-trigger][0].action: Unsupported value: "reboot": supported values: "restart", "sync", "refresh""#,
            #"1: metadata.annotations[mlops.dev/block-wave]: Invalid value: "3": must be greater than the job's own wave 3 (argocd.argoproj.io/sync-wave)"#,
        ])
    }

    @Test func theAnnotationValueItselfStillRefusesAnchorsAndAliases() {
        let text = mergedTriggerJob.replacing("      - apiVersion: serving", with: "      - &t apiVersion: serving")
        #expect(findings(text) == [
            "1: metadata.annotations[mlops.dev/on-success-trigger]: Invalid value: YAML anchors are not allowed; write each value out at line 1, column 3",
        ])
        let alias = mergedTriggerJob.replacing("action: restart", with: "action: restart\n      - *t")
        #expect(findings(alias) == [
            "1: metadata.annotations[mlops.dev/on-success-trigger]: Invalid value: YAML aliases are not allowed; write the value out at line 5, column 3",
        ])
    }

    @Test func anAliasToAnotherDocumentIsAnErrorOfItsDocument() {
        let text = "kind: A\nlabels: &l {x: y}\n---\nkind: B\nlabels: *l\n"
        #expect(findings(text) == [
            "2: YAML alias *l has no anchor &l before it in its document (anchors do not carry over ---)",
        ])
        #expect(lintManifests(text).findings.map { [$0.line, $0.column] } == [[5, 9]])
    }

    @Test func anAliasBombIsAnError() {
        var text = "kind: ConfigMap\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...6 {
            text += "\(level): &\(level) [" + Array(repeating: "*\(level == 1 ? "a" : String(level - 1))", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(findings(text).first?.hasPrefix("1: YAML aliases expand to more than 100000 nodes in one document") == true)
    }
}

@Suite(.tags(.integration)) struct LintAnchorCommandTests {
    @Test func theBinaryLintsAnchorsAndPrintsTheDocument() async throws {
        let good = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &l\n    x: y\n  annotations: *l\n"
        let passed = try await run(triggergateBinary.path, ["lint", "-"], input: Array(good.utf8))
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
        #expect(passed.stdout == "")
        let split = good.replacing("  annotations: *l\n", with: "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  labels: *l\n")
        let failed = try await run(triggergateBinary.path, ["lint", "-"], input: Array(split.utf8))
        #expect(failed.status == 2)
        #expect(failed.stdout == "stdin:12:11: error: YAML alias *l has no anchor &l before it in its document (anchors do not carry over ---)\n")
    }
}
