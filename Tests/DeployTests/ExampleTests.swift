import Foundation
import Testing
import TestSupport

/// The pipelines in `deploy/examples/`: valid Kubernetes, the operator's real CRD shape, and accepted by `triggergate lint`.
@Suite(.tags(.integration)) struct ExampleTests {
    static let folder = deployRoot.appendingPathComponent("examples")

    /// Every example file.
    static func files() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Every object of every example.
    static func objects() throws -> [Object] {
        try files().flatMap { try manifestObjects(try String(contentsOf: $0, encoding: .utf8)) }
    }

    @Test func builtInKindsValidateOffline() async throws {
        let files = try Self.files()
        #expect(files.map(\.lastPathComponent) == ["argocd-notifications-cm.yaml", "multi-wave-pipeline.yaml", "training-job.yaml", "wait-for-training-hook.yaml", "wave-gate.yaml"])
        // The custom resources are checked below and by `triggergate lint`; kubernetes-validate knows only built-in kinds.
        let problems = try await schemaProblems(files, groupsWithoutSchemas: ["mlops.mlops.dev", "argoproj.io", "serving.kserve.io"])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func jobsFollowTheOperatorsCRD() throws {
        let jobs = try Self.objects().filter { $0.kind == "NotebookValidationJob" }
        #expect(jobs.count == 5)
        for job in jobs {
            let name = job.name ?? "?"
            #expect(job["apiVersion"] as? String == "mlops.mlops.dev/v1alpha1", "\(name)")
            #expect((job.at("spec.podConfig.containerImage") as? String)?.isEmpty == false, "\(name): podConfig.containerImage is required")
            #expect((job.at("spec.notebook.path") as? String)?.hasSuffix(".ipynb") == true, "\(name)")
            let url = job.at("spec.notebook.git.url") as? String ?? ""
            #expect(["https://", "http://", "git://", "ssh://", "git@"].contains { url.hasPrefix($0) }, "\(name): git.url \(url)")
            #expect(job.at("spec.notebook.git.ref") is String, "\(name)")
            #expect(job.at("spec.volumes") == nil && job.at("spec.volumeMounts") == nil, "\(name): volumes live under spec.podConfig")
            let volumes = Set((job.at("spec.podConfig.volumes") as? [Object] ?? []).compactMap { $0["name"] as? String })
            for mount in job.at("spec.podConfig.volumeMounts") as? [Object] ?? [] {
                #expect(volumes.contains(mount["name"] as? String ?? ""), "\(name): mount \(mount) names no volume")
            }
        }
    }

    @Test func theWaitHookIsASyncHookAfterTheJobsWaveAllowedOnlyToReadJobs() throws {
        let objects = try manifestObjects(try String(contentsOf: Self.folder.appendingPathComponent("wait-for-training-hook.yaml"), encoding: .utf8))
        let hook = try object("Job", in: objects)
        let annotations = try #require(hook.at("metadata.annotations") as? [String: String])
        #expect(annotations["argocd.argoproj.io/hook"] == "Sync")
        let args = try #require((hook.at("spec.template.spec.containers") as? [Object])?.first?["args"] as? [String])
        #expect(args.first == "wait")
        let waitedJob = try #require(args.firstIndex(of: "--job").map { args[$0 + 1] })
        let job = try object("NotebookValidationJob", named: waitedJob, in: try Self.objects())
        let jobAnnotations = job.at("metadata.annotations") as? [String: String] ?? [:]
        let jobWave = try #require(Int(jobAnnotations["argocd.argoproj.io/sync-wave"] ?? "0"))
        let hookWave = try #require(Int(annotations["argocd.argoproj.io/sync-wave"] ?? "0"))
        #expect(hookWave > jobWave)
        let rules = try #require(try object("Role", in: objects)["rules"] as? [Object])
        #expect(rules.allSatisfy { $0["verbs"] as? [String] == ["get"] }, "`triggergate wait` only reads the job")
        #expect(rules.allSatisfy { $0["resources"] as? [String] == ["notebookvalidationjobs"] })
    }

    @Test func triggergateLintAcceptsEveryExample() async throws {
        let result = try await run(triggergateBinary.path, ["lint"] + (try ExampleTests.files()).map(\.path))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test func theWaitHookUsesWaitFlags() async throws {
        let help = try await run(triggergateBinary.path, ["wait", "--help"])
        try #require(help.status == 0 && help.stdout.contains("USAGE: triggergate wait"), "\(help.stdout)\(help.stderr)")
        let hook = try object("Job", in: try Self.objects())
        let args = try #require((hook.at("spec.template.spec.containers") as? [Object])?.first?["args"] as? [String])
        for flag in args.filter({ $0.hasPrefix("--") }) {
            #expect(help.stdout.contains(flag), "`triggergate wait` has no \(flag)")
        }
    }
}
