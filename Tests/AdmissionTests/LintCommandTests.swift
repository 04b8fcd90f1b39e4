import Foundation
import Testing
import TestSupport

private let manifestsDirectory = packageRoot.appendingPathComponent("Tests/AdmissionTests/Manifests")

/// The job manifest the mistake cases start from.
private let goodJob = """
apiVersion: mlops.mlops.dev/v1alpha1
kind: NotebookValidationJob
metadata:
  name: model-training
  namespace: ml-platform
  annotations:
    argocd.argoproj.io/sync-wave: "3"
    mlops.dev/block-wave: "4"
    mlops.dev/on-success-trigger: |
      - apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        name: predictive-analytics
        action: restart
spec:
  notebook:
    path: notebooks/train.ipynb
"""

@Suite(.tags(.integration)) struct LintCommandTests {
    @Test func seedGuideManifestsPass() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: manifestsDirectory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count == 6)
        let result = try await run(triggergateBinary.path, ["lint"] + files.map { manifestsDirectory.appendingPathComponent($0).path })
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "")
        #expect(result.stderr.components(separatedBy: "cannot be checked offline").count == 2, "said once: \(result.stderr)")
    }

    /// A change to the good manifest, and the exact line `lint` must print for it.
    @Test(arguments: [
        ("action: restart", "action: restrat",
         #"stdin: document 2: metadata.annotations[mlops.dev/on-success-trigger][0].action: unsupported value "restrat": want one of restart, sync, refresh (did you mean "restart"?)"#),
        ("        name: predictive-analytics\n", "",
         #"stdin: document 2: metadata.annotations[mlops.dev/on-success-trigger][0]: missing required field "name""#),
        ("serving.kserve.io/v1beta1", "serving.kserve.io/v1alpha2",
         #"stdin: document 2: metadata.annotations[mlops.dev/on-success-trigger][0].apiVersion: "serving.kserve.io/v1alpha2" kind "InferenceService" is not a supported target for restart: supported are apps/v1 Deployment, StatefulSet, DaemonSet; serving.kserve.io/v1beta1 InferenceService"#),
        ("apiVersion: mlops.mlops.dev/v1alpha1", "apiVersion: mlops.dev/v1alpha1",
         #"stdin: document 2: apiVersion: "mlops.dev/v1alpha1" is wrong for kind NotebookValidationJob: want mlops.mlops.dev/v1alpha1"#),
        ("        kind: InferenceService", "       kind: InferenceService",
         #"stdin: document 2: metadata.annotations[mlops.dev/on-success-trigger]: invalid YAML: did not find expected '-' indicator (while parsing a block collection) at line 2, column 2"#),
        ("  namespace: ml-platform", "   namespace: ml-platform",
         "stdin: document 2: invalid YAML: mapping values are not allowed in this context at line 9, column 13"),
        (#"mlops.dev/block-wave: "4""#, #"mlops.dev/block-wave: "four""#,
         #"stdin: document 2: metadata.annotations[mlops.dev/block-wave]: invalid value "four": want a decimal int32"#),
        (#"mlops.dev/block-wave: "4""#, #"mlops.dev/block-wave: "2""#,
         #"stdin: document 2: metadata.annotations[mlops.dev/block-wave]: "2" must be greater than the job's own wave 3 (argocd.argoproj.io/sync-wave)"#),
        (#"mlops.dev/block-wave: "4""#, "mlops.dev/block-wave: 4",
         #"stdin: document 2: metadata.annotations[mlops.dev/block-wave]: want a string value: quote it, as "4""#),
        ("mlops.dev/on-success-trigger: |", "mlops.dev/on-success-trigger:",
         #"stdin: document 2: metadata.annotations[mlops.dev/on-success-trigger]: want a string value: write it as a block string, "mlops.dev/on-success-trigger: |" with the YAML indented below it"#),
        ("mlops.dev/block-wave", "mlops.dev/blok-wave",
         "stdin: document 2: warning: unknown annotation mlops.dev/blok-wave: did you mean mlops.dev/block-wave?"),
        ("    argocd.argoproj.io/sync-wave", "    mlops.dev/wave-complete: \"3\"\n    argocd.argoproj.io/sync-wave",
         "stdin: document 2: metadata.annotations[mlops.dev/wave-complete]: only triggergate may add, change or remove this annotation"),
    ])
    func mistakeIsReported(original: String, replacement: String, line: String) async throws {
        let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" + goodJob.replacing(original, with: replacement)
        #expect(manifest != "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" + goodJob)
        let result = try await run(triggergateBinary.path, ["lint", "-"], input: Array(manifest.utf8))
        #expect(result.status == 1)
        #expect(result.stdout == line + "\n")
    }

    @Test func goodManifestPassesAndJsonOutput() async throws {
        let good = try await run(triggergateBinary.path, ["lint", "-"], input: Array(goodJob.utf8))
        #expect(good.status == 0)
        #expect(good.stdout == "")
        let bad = goodJob.replacing("action: restart", with: "action: reboot") + "\n---\n" + goodJob.replacing("\"4\"", with: "\"x\"")
        let result = try await run(triggergateBinary.path, ["lint", "--output", "json", "-"], input: Array(bad.utf8))
        #expect(result.status == 1)
        struct Output: Decodable, Equatable {
            struct Problem: Decodable, Equatable {
                var file: String
                var document: Int
                var severity: String
                var message: String
            }
            var problems: [Problem]
            var notes: [String]
        }
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output == Output(problems: [
            .init(file: "stdin", document: 1, severity: "error", message: "metadata.annotations[mlops.dev/on-success-trigger][0].action: "
                + #"unsupported value "reboot": want one of restart, sync, refresh"#),
            .init(file: "stdin", document: 2, severity: "error",
                  message: #"metadata.annotations[mlops.dev/block-wave]: invalid value "x": want a decimal int32"#),
        ], notes: []))
    }

    @Test func duplicateKeysInAManifest() async throws {
        let result = try await run(triggergateBinary.path, ["lint", "-"], input: Array((goodJob + "\nkind: Other\n").utf8))
        #expect(result.status == 1)
        #expect(result.stdout == "stdin: document 1: duplicate key \"kind\" at line 17, column 1\n")
    }

    @Test func unreadableFileIsAProblem() async throws {
        let result = try await run(triggergateBinary.path, ["lint", "/nonexistent/jobs.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("/nonexistent/jobs.yaml: cannot read the file"))
    }
}
