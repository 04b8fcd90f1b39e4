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
         #"stdin:17:17: error: metadata.annotations[mlops.dev/on-success-trigger][0].action: Unsupported value: "restrat": supported values: "restart", "sync", "refresh" (did you mean "restart"?)"#),
        ("        name: predictive-analytics\n", "",
         #"stdin:14:9: error: metadata.annotations[mlops.dev/on-success-trigger][0].name: Required value"#),
        ("serving.kserve.io/v1beta1", "serving.kserve.io/v1alpha2",
         #"stdin:14:21: error: metadata.annotations[mlops.dev/on-success-trigger][0].apiVersion: Unsupported value: "serving.kserve.io/v1alpha2": kind "InferenceService" is not a supported target for restart: supported are apps/v1 Deployment, StatefulSet, DaemonSet; serving.kserve.io/v1beta1 InferenceService"#),
        ("apiVersion: mlops.mlops.dev/v1alpha1", "apiVersion: mlops.dev/v1alpha1",
         #"stdin:5:13: error: apiVersion: Invalid value: "mlops.dev/v1alpha1": wrong for kind NotebookValidationJob: want mlops.mlops.dev/v1alpha1"#),
        ("        kind: InferenceService", "       kind: InferenceService",
         #"stdin:15:8: error: metadata.annotations[mlops.dev/on-success-trigger]: Invalid value: invalid YAML: did not find expected '-' indicator (while parsing a block collection) at line 2, column 2"#),
        ("  namespace: ml-platform", "   namespace: ml-platform",
         "stdin:9:13: error: invalid YAML: mapping values are not allowed in this context"),
        (#"mlops.dev/block-wave: "4""#, #"mlops.dev/block-wave: "four""#,
         #"stdin:12:27: error: metadata.annotations[mlops.dev/block-wave]: Invalid value: "four": want a decimal int32"#),
        (#"mlops.dev/block-wave: "4""#, #"mlops.dev/block-wave: "2""#,
         #"stdin:12:27: error: metadata.annotations[mlops.dev/block-wave]: Invalid value: "2": must be greater than the job's own wave 3 (argocd.argoproj.io/sync-wave)"#),
        (#"mlops.dev/block-wave: "4""#, "mlops.dev/block-wave: 4",
         #"stdin:12:27: error: metadata.annotations[mlops.dev/block-wave]: Invalid value: 4: want a string value: quote it, as "4""#),
        ("mlops.dev/on-success-trigger: |", "mlops.dev/on-success-trigger:",
         #"stdin:14:7: error: metadata.annotations[mlops.dev/on-success-trigger]: Invalid value: a list: want a string value: write it as a block string, "mlops.dev/on-success-trigger: |" with the YAML indented below it"#),
        ("mlops.dev/block-wave", "mlops.dev/blok-wave",
         "stdin:12:26: warning: unknown annotation mlops.dev/blok-wave: did you mean mlops.dev/block-wave?"),
        ("    argocd.argoproj.io/sync-wave", "    mlops.dev/wave-complete: \"3\"\n    argocd.argoproj.io/sync-wave",
         "stdin:11:30: error: metadata.annotations[mlops.dev/wave-complete]: Forbidden: only triggergate may add, change or remove this annotation"),
    ])
    func mistakeIsReported(original: String, replacement: String, line: String) async throws {
        let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" + goodJob.replacing(original, with: replacement)
        #expect(manifest != "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" + goodJob)
        let result = try await run(triggergateBinary.path, ["lint", "-"], input: Array(manifest.utf8))
        let status: Int32 = line.contains(": warning: ") ? 0 : line.contains("error: invalid YAML") ? 2 : 1
        #expect(result.status == status)
        #expect(result.stdout == line + "\n")
    }

    /// A problem inside a block scalar points at its line inside the scalar; inside a flow scalar, at its column.
    @Test func placesInBlockAndFlowScalars() async throws {
        let manifest = """
            apiVersion: mlops.mlops.dev/v1alpha1
            kind: NotebookValidationJob
            metadata:
              name: a
              namespace: ml
              annotations:
                mlops.dev/block-wave: "x"
                mlops.dev/on-success-trigger: |

                  - apiVersion: apps/v1
                    kind: Deployment
                    name: web
                    action: reboot
            ---
            apiVersion: mlops.mlops.dev/v1alpha1
            kind: NotebookValidationJob
            metadata:
              name: b
              annotations:
                mlops.dev/on-success-trigger: '[{apiVersion: apps/v1, kind: Deployment, name: Web_1, action: restart}]'
            ---
            apiVersion: mlops.mlops.dev/v1alpha1
            kind: NotebookValidationJob
            metadata:
              name: c
              annotations:
                mlops.dev/on-success-trigger: "- {apiVersion: apps/v1, kind: Deployment, nmae: web, action: restart}"
            """
        let result = try await run(triggergateBinary.path, ["lint", "-"], input: Array(manifest.utf8))
        #expect(result.status == 1)
        #expect(result.stdout == """
            stdin:7:27: error: metadata.annotations[mlops.dev/block-wave]: Invalid value: "x": want a decimal int32
            stdin:13:17: error: metadata.annotations[mlops.dev/on-success-trigger][0].action: Unsupported value: "reboot": supported values: "restart", "sync", "refresh"
            stdin:20:83: error: metadata.annotations[mlops.dev/on-success-trigger][0].name: Invalid value: "Web_1": want a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", at most 253 characters
            stdin:27:38: error: metadata.annotations[mlops.dev/on-success-trigger][0].name: Required value
            stdin:27:78: error: metadata.annotations[mlops.dev/on-success-trigger][0].nmae: Forbidden: unknown field: allowed fields are apiVersion, kind, name, namespace, action (did you mean "name"?)

            """)
        let lines = manifest.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[12].dropFirst(16).hasPrefix("reboot"))
        #expect(lines[19].dropFirst(82).hasPrefix("Web_1"))
        #expect(lines[26].dropFirst(77).hasPrefix("nmae"))
        #expect(lines[26].dropFirst(37).hasPrefix("{apiVersion"))
    }

    @Test func warningsExitZeroUnlessStrict() async throws {
        let manifest = goodJob.replacing("mlops.dev/block-wave", with: "mlops.dev/blok-wave")
        let plain = try await run(triggergateBinary.path, ["lint", "-"], input: Array(manifest.utf8))
        #expect(plain.status == 0)
        #expect(plain.stdout == "stdin:8:26: warning: unknown annotation mlops.dev/blok-wave: did you mean mlops.dev/block-wave?\n")
        let strict = try await run(triggergateBinary.path, ["lint", "--strict", "-"], input: Array(manifest.utf8))
        #expect(strict.status == 1)
        #expect(strict.stdout == plain.stdout)
    }

    @Test func goodManifestPassesAndJsonOutput() async throws {
        let good = try await run(triggergateBinary.path, ["lint", "-"], input: Array(goodJob.utf8))
        #expect(good.status == 0)
        #expect(good.stdout == "")
        #expect(good.stderr == "", "no consent note when no trigger crosses namespaces")
        let bad = goodJob.replacing("action: restart", with: "action: reboot") + "\n---\n" + goodJob.replacing("\"4\"", with: "\"x\"")
        let result = try await run(triggergateBinary.path, ["lint", "--format", "json", "-"], input: Array(bad.utf8))
        #expect(result.status == 1)
        struct Problem: Decodable, Equatable {
            var file: String
            var line: Int
            var column: Int
            var severity: String
            var field: String?
            var message: String
        }
        let output = try JSONDecoder().decode([Problem].self, from: Data(result.stdout.utf8))
        #expect(output == [
            Problem(file: "stdin", line: 13, column: 17, severity: "error", field: "metadata.annotations[mlops.dev/on-success-trigger][0].action",
                    message: #"Unsupported value: "reboot": supported values: "restart", "sync", "refresh""#),
            Problem(file: "stdin", line: 25, column: 27, severity: "error", field: "metadata.annotations[mlops.dev/block-wave]",
                    message: #"Invalid value: "x": want a decimal int32"#),
        ])
    }

    @Test func githubFormatIsWorkflowCommands() async throws {
        let bad = goodJob.replacing("sync-wave: \"3\"", with: "sync-wave: \"x\"").replacing("mlops.dev/block-wave", with: "mlops.dev/blok-wave")
            .replacing("        name: predictive-analytics\n", with: "        name: predictive-analytics\n        namespace: serving\n")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lint-github-\(getpid()),a:b.yaml")
        try Data(bad.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await run(triggergateBinary.path, ["lint", "--format", "github", file.path])
        #expect(result.status == 1)
        let escaped = file.path.replacing(":", with: "%3A").replacing(",", with: "%2C")
        #expect(result.stdout == """
            ::error file=\(escaped),line=7,col=35::metadata.annotations[argocd.argoproj.io/sync-wave]: Invalid value: "x": want a decimal int32
            ::warning file=\(escaped),line=8,col=26::unknown annotation mlops.dev/blok-wave: did you mean mlops.dev/block-wave?
            ::notice::cross-namespace consent (mlops.dev/trigger-sources on the target namespace) cannot be checked offline; it is checked before a trigger runs

            """)
    }

    @Test func consentNoteOnlyWhenATriggerCrossesNamespaces() async throws {
        let same = goodJob.replacing("        name: predictive-analytics\n", with: "        name: predictive-analytics\n        namespace: ml-platform\n")
        let sameResult = try await run(triggergateBinary.path, ["lint", "-"], input: Array(same.utf8))
        #expect(sameResult.status == 0)
        #expect(sameResult.stderr == "")
        let other = same.replacing("namespace: ml-platform\n        action", with: "namespace: serving\n        action")
        #expect(other != same)
        let otherResult = try await run(triggergateBinary.path, ["lint", "-"], input: Array(other.utf8))
        #expect(otherResult.status == 0)
        #expect(otherResult.stderr.hasPrefix("note: cross-namespace consent"))
    }

    @Test func duplicateKeysInAManifest() async throws {
        let result = try await run(triggergateBinary.path, ["lint", "-"], input: Array((goodJob + "\nkind: Other\n").utf8))
        #expect(result.status == 2)
        #expect(result.stdout == "stdin:17:1: error: duplicate key \"kind\"\n")
    }

    @Test func unreadableFileExitsTwo() async throws {
        let result = try await run(triggergateBinary.path, ["lint", "/nonexistent/jobs.yaml", "-"], input: Array(goodJob.replacing("\"4\"", with: "\"x\"").utf8))
        #expect(result.status == 2)
        #expect(result.stderr == "/nonexistent/jobs.yaml: error: cannot read the file: No such file or directory\n")
        #expect(result.stdout.hasPrefix("stdin:8:27: error: "), "the other files are still checked")
    }
}
