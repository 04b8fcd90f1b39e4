import Foundation
import Testing
import TestSupport

/// The Argo CD health check for NotebookValidationJob, run under a real Lua 5.1 as Argo CD runs it: `obj` set, the chunk returns `hs`.
@Suite(.tags(.integration)) struct HealthCheckTests {
    static let script = deployRoot.appendingPathComponent("argocd/health.lua")

    /// Runs the health check on `obj` (a Lua table literal) and returns its status and message.
    func health(of obj: String) async throws -> (status: String, message: String) {
        let program = """
            obj = \(obj)
            local hs = dofile("\(Self.script.path)")
            io.write(hs.status, "\\n", hs.message)
            """
        let result = try await run("lua5.1", ["-"], input: Array(program.utf8))
        try #require(result.status == 0, "lua5.1 failed: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        try #require(lines.count == 2, "unexpected output: \(result.stdout)")
        return (String(lines[0]), String(lines[1]))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var obj: String
        var status: String
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no status", obj: #"{metadata = {name = "train"}}"#,
             status: "Progressing", message: "Waiting for the operator to start the validation"),
        Case(name: "status without a phase", obj: #"{status = {message = "queued"}}"#,
             status: "Progressing", message: "Waiting for the operator to start the validation"),
        Case(name: "Initializing", obj: #"{status = {phase = "Initializing"}}"#,
             status: "Progressing", message: "Initializing the validation"),
        Case(name: "Pending", obj: #"{status = {phase = "Pending"}}"#,
             status: "Progressing", message: "Initializing the validation"),
        Case(name: "Building", obj: #"{status = {phase = "Building"}}"#,
             status: "Progressing", message: "Building the validation image"),
        Case(name: "BuildComplete", obj: #"{status = {phase = "BuildComplete"}}"#,
             status: "Progressing", message: "Image built, starting the validation"),
        Case(name: "ValidationRunning with cells and a pod",
             obj: #"{status = {phase = "ValidationRunning", validationPodName = "train-validation-x7k2p", results = {{cellIndex = 0, status = "Success"}, {cellIndex = 1, status = "Skipped"}}}}"#,
             status: "Progressing", message: "Running the notebook: 2 cells done (pod train-validation-x7k2p)"),
        Case(name: "Running, nothing yet", obj: #"{status = {phase = "Running", validationPodName = ""}}"#,
             status: "Progressing", message: "Running the notebook"),
        Case(name: "Succeeded with cells and a time",
             obj: #"{status = {phase = "Succeeded", completionTime = "2026-11-29T05:45:00Z", results = {{cellIndex = 0, status = "Success"}, {cellIndex = 1, status = "Skipped"}, {cellIndex = 2, status = "Success"}}}}"#,
             status: "Healthy", message: "Notebook validation succeeded: 2 of 3 cells succeeded, 1 skipped at 2026-11-29T05:45:00Z"),
        Case(name: "Succeeded, bare", obj: #"{status = {phase = "Succeeded"}}"#,
             status: "Healthy", message: "Notebook validation succeeded"),
        Case(name: "Failed in a cell, after retries",
             obj: #"{status = {phase = "Failed", retryCount = 3, message = "Validation failed", results = {{cellIndex = 0, status = "Success"}, {cellIndex = 4, status = "Failure", errorMessage = "ModuleNotFoundError: No module named 'xgboost'\nTraceback (most recent call last):"}, {cellIndex = 5, status = "Failure", errorMessage = "later"}}}}"#,
             status: "Degraded", message: "Cell 4 failed: ModuleNotFoundError: No module named 'xgboost' (after 3 retries)"),
        Case(name: "Failed in cell 0 without an error message, one retry",
             obj: #"{status = {phase = "Failed", retryCount = 1, results = {{cellIndex = 0, status = "Failure"}}}}"#,
             status: "Degraded", message: "Cell 0 failed (after 1 retry)"),
        Case(name: "Failed outside the cells",
             obj: #"{status = {phase = "Failed", message = "Pod failed: ImagePullBackOff\nmore detail", results = {{cellIndex = 0, status = "Skipped"}}}}"#,
             status: "Degraded", message: "Pod failed: ImagePullBackOff"),
        Case(name: "Failed with nothing said", obj: #"{status = {phase = "Failed", retryCount = 0}}"#,
             status: "Degraded", message: "Notebook validation failed"),
        Case(name: "Failed with a long cell message",
             obj: "{status = {phase = \"Failed\", results = {{cellIndex = 7, status = \"Failure\", errorMessage = string.rep(\"x\", 300)}}}}",
             status: "Degraded", message: "Cell 7 failed: " + String(repeating: "x", count: 197) + "..."),
        Case(name: "a phase this check does not know", obj: #"{status = {phase = "Archived"}}"#,
             status: "Unknown", message: "Unknown phase Archived"),
    ]

    @Test(arguments: cases) func statusAndMessage(_ example: Case) async throws {
        let health = try await health(of: example.obj)
        #expect(health.status == example.status)
        #expect(health.message == example.message)
    }

    @Test func everyPhaseOfTheCRDHasAKnownHealth() async throws {
        let crd = try manifestObjects(try String(
            contentsOf: fixturesRoot.appendingPathComponent("crds/notebookvalidationjobs.mlops.mlops.dev.yaml"), encoding: .utf8
        ))
        let versions = try #require(crd.first?.at("spec.versions") as? [Object])
        let phases = try #require(versions.first?.at("schema.openAPIV3Schema.properties.status.properties.phase.enum") as? [String])
        #expect(phases.count == 8)
        for phase in phases {
            let health = try await health(of: "{status = {phase = \"\(phase)\"}}")
            let expected = phase == "Succeeded" ? "Healthy" : phase == "Failed" ? "Degraded" : "Progressing"
            #expect(health.status == expected, "\(phase): \(health.message)")
        }
    }

    @Test func kustomizeShipsItAsAnArgoCDConfigMapPatch() async throws {
        let objects = try manifestObjects(try await renderKustomization(deployRoot.appendingPathComponent("argocd")))
        try #require(objects.count == 1)
        let metadata = objects[0]["metadata"] as? [String: Any]
        #expect(objects[0]["kind"] as? String == "ConfigMap")
        #expect(metadata?["name"] as? String == "argocd-cm")
        #expect(metadata?["namespace"] as? String == "argocd")
        let data = objects[0]["data"] as? [String: String]
        #expect(data == ["resource.customizations.health.mlops.mlops.dev_NotebookValidationJob": try String(contentsOf: Self.script, encoding: .utf8)])
    }

    @Test func theChartLinksTheSameFileAndNeverOwnsArgoCDConfigMap() async throws {
        let link = chartRoot.appendingPathComponent("files/health.lua")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../../../deploy/argocd/health.lua")
        let objects = try manifestObjects(try await renderChart(["--set", "argocdHealthCheck.enabled=true"]))
        #expect(!objects.contains { ($0["metadata"] as? [String: Any])?["name"] as? String == "argocd-cm" })
        let holder = try #require(objects.first { ($0["metadata"] as? [String: Any])?["name"] as? String == "triggergate-argocd-health" })
        let patch = try #require((holder["data"] as? [String: String])?["argocd-cm-patch.json"])
        let decoded = try JSONSerialization.jsonObject(with: Data(patch.utf8)) as? [String: [String: String]]
        #expect(decoded == ["data": ["resource.customizations.health.mlops.mlops.dev_NotebookValidationJob": try String(contentsOf: Self.script, encoding: .utf8)]])
    }

    @Test func thePackagedChartCarriesTheFileItself() async throws {
        let folder = try scratchFolder("tg-package")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try await runDeployTool("helm", ["package", chartRoot.path, "--destination", folder.path])
        let archive = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".tgz") })
        let listing = try await run("tar", ["-xzf", folder.appendingPathComponent(archive).path, "-C", folder.path])
        try #require(listing.status == 0, "\(listing.stderr)")
        let packaged = folder.appendingPathComponent("triggergate/files/health.lua")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: packaged.path)) == nil)
        #expect(try String(contentsOf: packaged, encoding: .utf8) == (try String(contentsOf: Self.script, encoding: .utf8)))
    }

    @Test func bothPatchesMergeIntoAnExistingArgoCDConfigMap() async throws {
        let folder = try scratchFolder("tg-argocd-cm")
        defer { try? FileManager.default.removeItem(at: folder) }
        let existing = folder.appendingPathComponent("argocd-cm.yaml")
        try """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: argocd-cm, namespace: argocd}
            data:
              url: https://argocd.example.com
              resource.customizations.health.apps_Foo: "return {status = 'Healthy'}"

            """.write(to: existing, atomically: true, encoding: .utf8)
        let kustomizePatch = try await renderKustomization(deployRoot.appendingPathComponent("argocd"))
        let chart = try manifestObjects(try await renderChart(["--set", "argocdHealthCheck.enabled=true"]))
        let chartPatch = try #require((try object("ConfigMap", named: "triggergate-argocd-health", in: chart)["data"] as? [String: String])?["argocd-cm-patch.json"])
        let lua = try String(contentsOf: Self.script, encoding: .utf8)
        for patch in [kustomizePatch, chartPatch] {
            // The commands of README and NOTES.txt, run offline against a file.
            let merged = try manifestObjects(try await runDeployTool(
                "kubectl", ["patch", "--local", "-f", existing.path, "--type", "merge", "--patch", patch, "-o", "yaml"]
            ))
            #expect(merged.first?["data"] as? [String: String] == [
                "url": "https://argocd.example.com",
                "resource.customizations.health.apps_Foo": "return {status = 'Healthy'}",
                "resource.customizations.health.mlops.mlops.dev_NotebookValidationJob": lua,
            ])
        }
    }
}
