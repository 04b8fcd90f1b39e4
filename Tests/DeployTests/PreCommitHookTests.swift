import Foundation
import Testing
import TestSupport

/// `.pre-commit-hooks.yaml` works as pre-commit users add it: pre-commit itself loads the manifest and runs the hook.
@Suite(.tags(.integration)) struct PreCommitHookTests {
    @Test func theInstalledBinaryHookFailsOnABadManifestAndPassesAGoodOne() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pre-commit-\(getpid())")
        let repository = folder.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let job = """
            apiVersion: mlops.mlops.dev/v1alpha1
            kind: NotebookValidationJob
            metadata:
              name: train
              annotations:
                mlops.dev/block-wave: "x"

            """
        try Data(job.utf8).write(to: repository.appendingPathComponent("job.yaml"))
        let git = try await run("git", ["init", "-q", "."], directory: repository)
        #expect(git.status == 0, "\(git.stderr)")
        _ = try await run("git", ["add", "job.yaml"], directory: repository)
        let environment = [
            "PRE_COMMIT_HOME": folder.appendingPathComponent("cache").path,
            "PATH": triggergateBinary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
        ]
        let preCommit = packageRoot.appendingPathComponent(".tools/venv/bin/pre-commit").path
        let arguments = ["try-repo", packageRoot.path, "triggergate-lint-system", "--files", "job.yaml"]
        let failed = try await run(preCommit, arguments, environment: environment, directory: repository)
        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains(#"job.yaml:6:27: error: metadata.annotations[mlops.dev/block-wave]: Invalid value: "x": want a decimal int32"#),
                "\(failed.stdout)\(failed.stderr)")
        try Data(job.replacing(#""x""#, with: #""4""#).utf8).write(to: repository.appendingPathComponent("job.yaml"))
        let passed = try await run(preCommit, arguments, environment: environment, directory: repository)
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
    }

    @Test func bothHooksRunTheSameCommandOnYAMLFiles() throws {
        let manifest = try String(contentsOf: packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        let entries = manifest.matches(of: /\n  entry: (.+)/).map { String($0.output.1) }
        let types = manifest.matches(of: /\n  types: (.+)/).map { String($0.output.1) }
        #expect(entries == ["triggergate lint", "triggergate lint"])
        #expect(types == ["[yaml]", "[yaml]"])
    }
}
