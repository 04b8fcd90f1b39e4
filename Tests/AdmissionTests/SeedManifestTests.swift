import Admission
import Foundation
import Testing
import TestSupport
import YAML

@Suite struct SeedManifestTests {
    /// Every NotebookValidationJob in the seed guide's examples (copied to `Manifests/`), as `/validate` sees it on CREATE.
    static let jobs: [(String, ReviewRequest)] = {
        let directory = packageRoot.appendingPathComponent("Tests/AdmissionTests/Manifests")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        var jobs: [(String, ReviewRequest)] = []
        for file in files {
            let text = (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) ?? ""
            try? YAMLNode.loadDocuments(text) { document in
                guard document["kind"]?.text == "NotebookValidationJob" else { return }
                let metadata = document["metadata"]
                let name = metadata?["name"]?.text
                var annotations: [String: String] = [:]
                for (key, value) in metadata?["annotations"]?.entries ?? [:] { annotations[key] = value.text ?? "\(value)" }
                jobs.append(("\(file) \(name ?? "?")", ReviewRequest(
                    name: name, namespace: metadata?["namespace"]?.text ?? "default", annotations: annotations)))
            }
        }
        return jobs
    }()

    @Test func allJobsFound() {
        #expect(Self.jobs.count == 8)
    }

    @Test(arguments: jobs.map(\.0))
    func validateAllows(job: String) throws {
        let request = try #require(Self.jobs.first { $0.0 == job }?.1)
        let response = try request.review(.validate)
        #expect(response.allowed)
        #expect(response.warnings == nil)
        #expect(try request.review(.mutate).allowed)
    }
}
