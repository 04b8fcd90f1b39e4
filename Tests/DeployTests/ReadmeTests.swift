import Foundation
import Testing
import TestSupport

/// The README's install sections and the chart's NOTES.txt point at things that exist and agree with each other.
@Suite struct ReadmeTests {
    let readme: String
    let notes: String

    init() throws {
        readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        notes = try String(contentsOf: chartRoot.appendingPathComponent("templates/NOTES.txt"), encoding: .utf8)
    }

    /// What admission answers to the README's check job.
    static let checkDenial = #"metadata.annotations[mlops.dev/on-success-trigger][0].action: Unsupported value: "reboot": supported values: "restart", "sync", "refresh""#

    /// The text between `cat <<'YAML' | kubectl apply --dry-run=server -f -` and `YAML`.
    static func checkManifest(in text: String) throws -> String {
        let opener = "cat <<'YAML' | kubectl apply --dry-run=server -f -\n"
        let start = try #require(text.range(of: opener))
        let end = try #require(text.range(of: "\nYAML\n", range: start.upperBound..<text.endIndex))
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test func everyPathItNamesExists() throws {
        let paths = readme.matches(of: /(?:\.\/)?((?:deploy|chart)\/[A-Za-z0-9._\/-]+)/).map { String($0.output.1) }
        #expect(paths.count > 8)
        for path in Set(paths) where !path.hasSuffix("/tls") {
            let trimmed = path.hasSuffix(".") ? String(path.dropLast()) : path
            #expect(FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent(trimmed).path), "README names \(trimmed)")
        }
    }

    @Test func readmeAndNotesCheckWithTheSameJobAndDenial() throws {
        #expect(try Self.checkManifest(in: readme) == (try Self.checkManifest(in: notes)))
        let denial = #"admission webhook "validate.triggergate.mlops.dev" denied the request: "# + Self.checkDenial
        #expect(readme.contains(denial) && notes.contains(denial))
    }

    @Test(.tags(.integration)) func triggergateDeniesTheCheckJobWithTheReadmeMessage() async throws {
        let manifest = try Self.checkManifest(in: readme)
        let denied = try await run(triggergateBinary.path, ["lint", "-"], input: Array(manifest.utf8))
        #expect(denied.status == 1)
        #expect((denied.stdout + denied.stderr).contains(Self.checkDenial), "\(denied.stdout)\(denied.stderr)")
        let fixed = manifest.replacingOccurrences(of: "action: reboot", with: "action: restart")
        let accepted = try await run(triggergateBinary.path, ["lint", "-"], input: Array(fixed.utf8))
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
    }
}
