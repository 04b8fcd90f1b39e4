import Foundation
import Testing
import TestSupport

/// No two tracked paths differ only by case: such a pair cannot both be checked out on the case-insensitive file
/// systems of macOS and Windows (one silently overwrites the other).
@Suite struct FileNameTests {
    /// The groups of paths that are equal when lower-cased.
    static func caseClashes(_ paths: [String]) -> [[String]] {
        Dictionary(grouping: paths) { $0.lowercased() }.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    @Test func theCheckFindsAPairThatDiffersOnlyByCase() {
        #expect(Self.caseClashes(["Sources/Kube/Kubeconfig.swift", "Sources/Kube/KubeConfig.swift", "README.md"])
            == [["Sources/Kube/KubeConfig.swift", "Sources/Kube/Kubeconfig.swift"]])
        #expect(Self.caseClashes(["a/B.swift", "b/B.swift"]).isEmpty)
    }

    @Test func noTrackedPathsDifferOnlyByCase() async throws {
        let listed = try await run("git", ["-C", packageRoot.path, "ls-files"])
        try #require(listed.status == 0, "git ls-files failed: \(listed.stderr)")
        let paths = listed.stdout.split(separator: "\n").map(String.init)
        #expect(paths.count > 100)
        #expect(Self.caseClashes(paths).isEmpty, "paths that differ only by case: \(Self.caseClashes(paths))")
    }
}
