import Foundation
import TestSupport
import Testing

/// What a new user sees first: `serve` without certificate flags prints a curl command that works as pasted and shows
/// a denial; `--version` names the release and the commit; the shell completions install.
@Suite(.tags(.integration))
struct FirstRunTests {
    /// The JSON log lines `serve` printed so far.
    private func logLines(_ server: ChildProcess) -> [[String: String]] {
        server.output.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String]
        }
    }

    @Test func servePrintsACurlCommandThatShowsADenialWhenPasted() async throws {
        let port = freePort()
        var health = freePort()
        while health == port { health = freePort() }
        let server = try ChildProcess(triggergateBinary.path, [
            "serve", "--listen", "127.0.0.1:\(port)", "--health-listen", "127.0.0.1:\(health)",
        ], environment: ["KUBECONFIG": "", "KUBERNETES_SERVICE_HOST": ""])
        try await waitForPort(port)
        let command = try #require(logLines(server).compactMap { $0["try"] }.first, "\(server.output)")
        #expect(!command.contains("\"") && !command.contains("\\"), "pastes as printed: \(command)")
        let sample = try #require(command.firstMatch(of: /@(\S+)/)?.output.1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: String(sample)))
            == Data(contentsOf: packageRoot.appendingPathComponent("deploy/examples/admission-review.json")))

        let pasted = try await run("sh", ["-c", command])
        #expect(pasted.status == 0, "\(pasted.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(pasted.stdout.utf8)) as? [String: Any])
        let response = try #require(answer["response"] as? [String: Any])
        #expect(response["allowed"] as? Bool == false)
        #expect(response["uid"] as? String == "00000000-0000-4000-8000-000000000001")
        let status = try #require(response["status"] as? [String: Any])
        #expect(status["code"] as? Int == 422)
        #expect(status["message"] as? String
            == #"metadata.annotations[mlops.dev/on-success-trigger][0].action: Unsupported value: "reboot": supported values: "restart", "sync", "refresh""#)

        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(pasted.stdout), "the README shows what the pasted command prints")
        let version = try await run(triggergateBinary.path, ["--version"]).stdout
        let starting = try #require(logLines(server).first { $0["message"] == "starting triggergate serve" })
        #expect(version == "triggergate \(starting["version"] ?? "") (commit \(starting["commit"] ?? ""))\n")
        server.signal(SIGKILL)
        _ = await server.waitForExit()
    }

    @Test func versionNamesTheReleaseAndTheCommitItWasBuiltFrom() async throws {
        let printed = try await run(triggergateBinary.path, ["--version"])
        #expect(printed.status == 0)
        let match = try #require(printed.stdout.wholeMatch(of: /triggergate (\S+) \(commit ([0-9a-f]{12})(-dirty)?\)\n/), "\(printed.stdout)")
        let head = try await run("git", ["rev-parse", "--short=12", "HEAD"])
        if head.status == 0 {
            #expect(String(match.output.2) == head.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "built from this checkout's HEAD")
        }
        let tagged = try await run("git", ["describe", "--tags", "--match", "v[0-9]*"])
        if tagged.status != 0 {
            let chart = try String(contentsOf: chartRoot.appendingPathComponent("Chart.yaml"), encoding: .utf8)
            let appVersion = try #require(chart.firstMatch(of: /\nappVersion: "?([^"\n]+)"?\n/)?.output.1)
            #expect(match.output.1 == appVersion, "with no release tag, the chart's appVersion")
        }
    }

    @Test func bashCompletionInstalls() async throws {
        let script = try await run(triggergateBinary.path, ["--generate-completion-script", "bash"])
        #expect(script.status == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("triggergate-completion-\(getpid()).bash")
        try Data(script.stdout.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let installed = try await run("bash", ["-c", "source \(file.path) && complete -p triggergate"])
        #expect(installed.status == 0, "\(installed.stderr)")
        #expect(installed.stdout.hasPrefix("complete ") && installed.stdout.hasSuffix(" triggergate\n"), "\(installed.stdout)")
        #expect(script.stdout.contains("lint") && script.stdout.contains("--strict") && script.stdout.contains("--format"))
    }
}
