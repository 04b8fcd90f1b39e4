import Foundation
import PackagePlugin

/// Generates `BuildInfo.swift` for the target that uses it, before every build: the release version, the git commit,
/// and the sample AdmissionReview of `deploy/examples/admission-review.json` (see `build-info.sh`).
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for name in ["TRIGGERGATE_VERSION", "TRIGGERGATE_COMMIT"] {
            environment[name] = ProcessInfo.processInfo.environment[name]
        }
        return [.prebuildCommand(
            displayName: "Writing the version, commit and sample AdmissionReview into BuildInfo.swift",
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: [root.appending(path: "Plugins/BuildInfo/build-info.sh").path, root.path, output.path],
            environment: environment,
            outputFilesDirectory: output
        )]
    }
}
