import Foundation
import Testing
import TestSupport

/// The wave gate's webhook (SPEC §3): with matchConditions on clusters that have them (the chart decides from the
/// cluster's version; kustomize users add a component), with a namespace label otherwise, and off when asked.
@Suite(.tags(.integration)) struct WaveGateRegistrationTests {
    static let condition = "has(object.metadata.annotations) && 'argocd.argoproj.io/sync-wave' in object.metadata.annotations"

    func gate(in yaml: String) throws -> Object? {
        let hooks = try object("ValidatingWebhookConfiguration", in: try manifestObjects(yaml))["webhooks"] as? [Object] ?? []
        return hooks.first { $0["name"] as? String == "gate.triggergate.mlops.dev" }
    }

    /// The cert-manager overlay with the matchConditions component.
    func kustomizeWithMatchConditions() async throws -> String {
        let folder = packageRoot.appendingPathComponent(".build/tg-gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [../../deploy/overlays/cert-manager]
            components: [../../deploy/components/wave-gate-match-conditions]
            """.write(to: folder.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        return try await renderKustomization(folder)
    }

    @Test func clustersWithMatchConditionsCallTheGateOnlyForObjectsWithASyncWave() async throws {
        let kustomized = try await kustomizeWithMatchConditions()
        let fromKustomize = try #require(try gate(in: kustomized))
        let fromChart = try #require(try gate(in: try await renderChart()), "helm's default cluster version is 1.28 or later")
        for hook in [fromKustomize, fromChart] {
            #expect((hook["matchConditions"] as? [Object])?.first?["expression"] as? String == Self.condition)
            #expect(hook.at("namespaceSelector.matchLabels") == nil, "with matchConditions every namespace is gated")
            let excluded = (hook.at("namespaceSelector.matchExpressions") as? [Object])?.first
            #expect(excluded?["values"] as? [String] == ["kube-system", "triggergate"])
        }
        #expect(same(fromKustomize, fromChart), "deploy/ with the component and the chart differ")
        let file = packageRoot.appendingPathComponent(".build/tg-gate-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try kustomized.write(to: file, atomically: true, encoding: .utf8)
        let problems = try await schemaProblems([file], groupsWithoutSchemas: RenderTests.groupsWithoutSchemas, versions: [kubernetesVersions().last!])
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func olderClustersGateOnlyLabelledNamespaces() async throws {
        let hook = try #require(try gate(in: try await renderChart(["--kube-version", "1.27.0"])))
        #expect(hook["matchConditions"] == nil)
        #expect(hook.at("namespaceSelector.matchLabels") as? [String: String] == ["mlops.dev/wave-gate": "enabled"])
        let forced = try #require(try gate(in: try await renderChart(["--set", "gate.matchConditions=false"])))
        #expect(forced["matchConditions"] == nil)
    }

    @Test func theGateCanBeTurnedOffAndGivenExemptions() async throws {
        let off = try await renderChart(["--set", "gate.enabled=false"])
        #expect(try gate(in: off) == nil)
        let exempt = try manifestObjects(try await renderChart(["--set", "gate.exempt={ci-bot,system:serviceaccount:flux:*}"]))
        let args = try object("Deployment", in: exempt).at("spec.template.spec.containers") as? [Object]
        let flags = args?.first?["args"] as? [String] ?? []
        #expect(flags.contains("--gate-exempt=ci-bot") && flags.contains("--gate-exempt=system:serviceaccount:flux:*"), "\(flags)")
    }
}
