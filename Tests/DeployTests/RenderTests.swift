import Foundation
import Testing
import TestSupport

/// Every install method renders, lints and validates offline against the Kubernetes schemas.
@Suite(.tags(.integration)) struct RenderTests {
    /// Groups whose kinds kubernetes-validate has no schemas for: cert-manager's and prometheus-operator's.
    static let groupsWithoutSchemas: Set<String> = ["cert-manager.io", "monitoring.coreos.com"]

    /// Chart values for each certificate mode, and for every optional part at once.
    static let chartVariants: [String: [String]] = [
        "defaults": [],
        "selfSigned": ["--set", "certificates.mode=selfSigned"],
        "existingSecret": [
            "--set", "certificates.mode=existingSecret", "--set", "certificates.existingSecret.name=my-tls",
            "--set", "certificates.existingSecret.caBundle=LS0tLS1CRUdJTg==",
        ],
        "everything": [
            "--set", "serviceMonitor.enabled=true", "--set", "argocdHealthCheck.enabled=true", "--set", "notifications.enabled=true",
            "--set", "grafanaDashboard.enabled=true", "--set", "grafanaDashboard.namespace=monitoring", "--set", "prometheusRule.enabled=true",
            "--set", "certificates.certManager.issuerRef.name=corp-ca", "--set", "certificates.certManager.issuerRef.kind=ClusterIssuer",
            "--set", "watchNamespaces={ml-platform,ml-staging}", "--set", "allowedWriters={system:serviceaccount:nvj:operator}",
            "--set", "rbac.refreshResources[0].apiGroup=serving.kserve.io", "--set", "rbac.refreshResources[0].resources={inferenceservices}",
            "--set", "webhook.excludeNamespaces={sandbox}", "--set", "replicas=3",
        ],
    ]

    @Test func everyKustomizationRendersAndValidates() async throws {
        let copy = try await deployCopyWithCertificates()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        var files: [URL] = []
        for kustomization in ["base", "overlays/cert-manager", "overlays/certs", "argocd", "monitoring"] {
            let yaml = try await renderKustomization(copy.appendingPathComponent(kustomization))
            #expect(try !manifestObjects(yaml).isEmpty, "\(kustomization) rendered nothing")
            let file = copy.appendingPathComponent("\(kustomization.replacingOccurrences(of: "/", with: "-")).rendered.yaml")
            try yaml.write(to: file, atomically: true, encoding: .utf8)
            files.append(file)
        }
        let problems = try await schemaProblems(files, groupsWithoutSchemas: Self.groupsWithoutSchemas)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func certManagerOverlayInjectsTheCertificatesCA() async throws {
        let objects = try manifestObjects(try await renderKustomization(deployRoot.appendingPathComponent("overlays/cert-manager")))
        let certificate = try object("Certificate", in: objects)
        #expect(certificate.at("spec.secretName") as? String == "triggergate-tls")
        #expect(certificate.at("spec.dnsNames") as? [String] == ["triggergate.triggergate.svc", "triggergate.triggergate.svc.cluster.local"])
        #expect(try object("Issuer", in: objects).at("spec.issuerRef") == nil)
        for kind in ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"] {
            let webhook = try object(kind, in: objects)
            #expect(webhook.at("metadata.annotations") as? [String: String] == ["cert-manager.io/inject-ca-from": "triggergate/triggergate"])
        }
    }

    @Test func certsOverlayMakesTheSecretAndItsCABundle() async throws {
        let copy = try await deployCopyWithCertificates()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let objects = try manifestObjects(try await renderKustomization(copy.appendingPathComponent("overlays/certs")))
        let secret = try object("Secret", named: "triggergate-tls", in: objects)
        #expect(secret["type"] as? String == "kubernetes.io/tls")
        let data = try #require(secret["data"] as? [String: String])
        #expect(Set(data.keys) == ["tls.crt", "tls.key", "ca.crt"])
        let ca = try String(contentsOf: copy.appendingPathComponent("overlays/certs/tls/ca.crt"), encoding: .utf8)
        for kind in ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"] {
            let hooks = try #require(try object(kind, in: objects)["webhooks"] as? [Object])
            for hook in hooks {
                let bundle = try #require(hook.at("clientConfig.caBundle") as? String)
                let decoded = Data(base64Encoded: bundle, options: .ignoreUnknownCharacters).map { String(decoding: $0, as: UTF8.self) }
                #expect(decoded == ca)
            }
        }
    }

    @Test func helmLintStrictPassesForEveryCertificateMode() async throws {
        for (name, values) in Self.chartVariants {
            let result = try await run(try deployTool("helm"), ["lint", "--strict", chartRoot.path] + values)
            #expect(result.status == 0, "\(name): \(result.stdout)\(result.stderr)")
        }
    }

    @Test func chartRendersAndValidatesForEveryVariant() async throws {
        let folder = try scratchFolder("tg-chart")
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [URL] = []
        for (name, values) in Self.chartVariants {
            let file = folder.appendingPathComponent("\(name).yaml")
            try await renderChart(values + ["--kube-version", "1.25.0"]).write(to: file, atomically: true, encoding: .utf8)
            files.append(file)
        }
        let problems = try await schemaProblems(files, groupsWithoutSchemas: Self.groupsWithoutSchemas)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func certManagerModeIsTheDefault() async throws {
        let objects = try manifestObjects(try await renderChart())
        #expect(try object("Certificate", in: objects).at("spec.issuerRef.name") as? String == "triggergate-selfsigned")
        #expect(try object("Issuer", in: objects).at("spec.selfSigned") != nil)
        #expect(!objects.contains { $0.kind == "Secret" })
        let webhook = try object("ValidatingWebhookConfiguration", in: objects)
        #expect(webhook.at("metadata.annotations") as? [String: String] == ["cert-manager.io/inject-ca-from": "triggergate/triggergate"])
    }

    @Test func selfSignedModeMakesAVerifiablePairOnEveryRender() async throws {
        let values = Self.chartVariants["selfSigned"]!
        let first = try manifestObjects(try await renderChart(values))
        let second = try manifestObjects(try await renderChart(values))
        let secret = try object("Secret", named: "triggergate-tls", in: first)
        let data = try #require(secret["data"] as? [String: String])
        let caBundle = try #require((try object("ValidatingWebhookConfiguration", in: first)["webhooks"] as? [Object])?.first?.at("clientConfig.caBundle") as? String)
        #expect(caBundle == data["ca.crt"])
        #expect(!first.has(kind: "Certificate") && !first.has(kind: "Issuer"))
        // A new pair on every render: the permanent diff under Argo CD that the values document.
        #expect(try object("Secret", named: "triggergate-tls", in: second)["data"] as? [String: String] != data)

        let folder = try scratchFolder("tg-selfsigned")
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["ca.crt", "tls.crt"] {
            try Data(base64Encoded: try #require(data[name]))!.write(to: folder.appendingPathComponent(name))
        }
        let verify = try await run(
            "openssl", ["verify", "-CAfile", "ca.crt", "-verify_hostname", "triggergate.triggergate.svc", "tls.crt"], directory: folder
        )
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test func existingSecretModeUsesTheNamedSecretAndCA() async throws {
        let objects = try manifestObjects(try await renderChart(Self.chartVariants["existingSecret"]!))
        #expect(!objects.has(kind: "Secret") && !objects.has(kind: "Certificate"))
        let volumes = try #require(try object("Deployment", in: objects).at("spec.template.spec.volumes") as? [Object])
        #expect(volumes.first?.at("secret.secretName") as? String == "my-tls")
        for kind in ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"] {
            let hooks = try #require(try object(kind, in: objects)["webhooks"] as? [Object])
            #expect(hooks.allSatisfy { $0.at("clientConfig.caBundle") as? String == "LS0tLS1CRUdJTg==" })
        }

        let missing = try await run(
            try deployTool("helm"), ["template", "triggergate", chartRoot.path, "--set", "certificates.mode=existingSecret"]
        )
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("certificates.existingSecret"))
    }

    @Test func valuesSchemaRejectsAnUnknownModeAndKey() async throws {
        for values in [["--set", "certificates.mode=letsEncrypt"], ["--set", "webhook.failurePolicy=Sometimes"], ["--set", "replica=2"]] {
            let result = try await run(try deployTool("helm"), ["template", "triggergate", chartRoot.path] + values)
            #expect(result.status != 0, "\(values) was accepted")
        }
    }
}
