import Foundation
import Testing
import TestSupport

/// `deploy/` (the cert-manager overlay) and the chart with its defaults, as release `triggergate` in namespace
/// `triggergate`, install the same thing: the same objects, RBAC, webhooks, ports, probes, security settings and flags.
/// The chart is rendered for a cluster without matchConditions, the form of the wave gate that `deploy/base` has
/// (``WaveGateRegistrationTests`` compares the other form).
@Suite(.tags(.integration)) struct ChartAgreementTests {
    let kustomize: [Object]
    let helm: [Object]

    init() async throws {
        kustomize = try manifestObjects(try await renderKustomization(deployRoot.appendingPathComponent("overlays/cert-manager")))
        helm = try manifestObjects(try await renderChart(["--kube-version", "1.27.0"]))
    }

    @Test func sameObjectsButTheNamespace() {
        func names(_ objects: [Object]) -> Set<String> { Set(objects.map { "\($0.kind ?? "")/\($0.name ?? "")" }) }
        #expect(names(kustomize).subtracting(["Namespace/triggergate"]) == names(helm))
    }

    @Test(arguments: ["ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding"])
    func sameRBAC(kind: String) throws {
        let (ours, theirs) = (try object(kind, in: kustomize), try object(kind, in: helm))
        #expect(same(ours["rules"], theirs["rules"]))
        #expect(same(ours["roleRef"], theirs["roleRef"]))
        #expect(same(ours["subjects"], theirs["subjects"]))
        #expect(same(ours.at("metadata.namespace"), theirs.at("metadata.namespace")))
    }

    @Test(arguments: ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"])
    func sameWebhooks(kind: String) throws {
        let (ours, theirs) = (try object(kind, in: kustomize), try object(kind, in: helm))
        #expect(same(ours["webhooks"], theirs["webhooks"]))
        #expect(same(ours.at("metadata.annotations"), theirs.at("metadata.annotations")))
    }

    @Test func webhooksAreConfiguredAsTheSpecSays() throws {
        let validating = try #require(try object("ValidatingWebhookConfiguration", in: kustomize)["webhooks"] as? [Object])
        let mutating = try #require(try object("MutatingWebhookConfiguration", in: kustomize)["webhooks"] as? [Object])
        try #require(validating.count == 2 && mutating.count == 1)
        let (validate, gate, mutate) = (validating[0], validating[1], mutating[0])
        #expect(gate["name"] as? String == "gate.triggergate.mlops.dev")
        #expect(gate.at("clientConfig.service.path") as? String == "/gate")
        #expect(gate["failurePolicy"] as? String == "Ignore")
        #expect(gate["sideEffects"] as? String == "None")
        #expect(gate["timeoutSeconds"] as? Int == 5)
        let rule = (gate["rules"] as? [Object])?.first
        #expect(rule?["operations"] as? [String] == ["CREATE", "UPDATE"])
        #expect(rule?["apiGroups"] as? [String] == ["*"] && rule?["resources"] as? [String] == ["*"], "all resources, no subresources")
        #expect(rule?["scope"] as? String == "Namespaced")
        #expect(gate.at("namespaceSelector.matchLabels") as? [String: String] == ["mlops.dev/wave-gate": "enabled"])
        #expect(validate.at("clientConfig.service.path") as? String == "/validate")
        #expect(validate["failurePolicy"] as? String == "Fail")
        #expect(validate["sideEffects"] as? String == "None")
        #expect(validate["timeoutSeconds"] as? Int == 5)
        #expect(validate["admissionReviewVersions"] as? [String] == ["v1"])
        #expect((validate["rules"] as? [Object])?.first?["operations"] as? [String] == ["CREATE", "UPDATE"])
        #expect(mutate.at("clientConfig.service.path") as? String == "/mutate")
        #expect(mutate["failurePolicy"] as? String == "Ignore")
        #expect(mutate["reinvocationPolicy"] as? String == "Never")
        #expect((mutate["rules"] as? [Object])?.first?["operations"] as? [String] == ["UPDATE"])
        for hook in [validate, mutate] {
            #expect((hook["rules"] as? [Object])?.first?["resources"] as? [String] == ["notebookvalidationjobs"])
        }
        for hook in [validate, gate, mutate] {
            #expect(hook.at("clientConfig.service.port") as? Int == 443)
            let excluded = (hook.at("namespaceSelector.matchExpressions") as? [Object])?.first
            #expect(excluded?["key"] as? String == "kubernetes.io/metadata.name")
            #expect(excluded?["operator"] as? String == "NotIn")
            #expect(excluded?["values"] as? [String] == ["kube-system", "triggergate"])
        }
    }

    @Test func sameWorkload() throws {
        let (ours, theirs) = (try object("Deployment", in: kustomize), try object("Deployment", in: helm))
        #expect(same(ours.at("spec.replicas"), theirs.at("spec.replicas")))
        for field in ["securityContext", "terminationGracePeriodSeconds", "serviceAccountName", "volumes"] {
            #expect(same(ours.at("spec.template.spec.\(field)"), theirs.at("spec.template.spec.\(field)")), "pod \(field)")
        }
        let (container, chartContainer) = (try onlyContainer(ours), try onlyContainer(theirs))
        for field in ["args", "env", "ports", "livenessProbe", "readinessProbe", "resources", "securityContext", "volumeMounts"] {
            #expect(same(container[field], chartContainer[field]), "container \(field)")
        }
        #expect(same(try object("Service", in: kustomize).at("spec.ports"), try object("Service", in: helm).at("spec.ports")))
        #expect(same(try object("PodDisruptionBudget", in: kustomize).at("spec.minAvailable"),
                     try object("PodDisruptionBudget", in: helm).at("spec.minAvailable")))
        #expect(same(try object("Certificate", in: kustomize)["spec"], try object("Certificate", in: helm)["spec"]))
        #expect(same(try object("Issuer", in: kustomize)["spec"], try object("Issuer", in: helm)["spec"]))
    }

    @Test func selectorsMatchThePods() throws {
        for objects in [kustomize, helm] {
            let deployment = try object("Deployment", in: objects)
            let podLabels = try #require(deployment.at("spec.template.metadata.labels") as? [String: String])
            var selectors = [deployment.at("spec.selector.matchLabels"), try object("Service", in: objects).at("spec.selector"),
                             try object("PodDisruptionBudget", in: objects).at("spec.selector.matchLabels")]
            selectors += (deployment.at("spec.template.spec.topologySpreadConstraints") as? [Object] ?? []).map { $0.at("labelSelector.matchLabels") }
            #expect(selectors.count == 5)
            for selector in selectors {
                let labels = try #require(selector as? [String: String])
                #expect(!labels.isEmpty && labels.allSatisfy { podLabels[$0.key] == $0.value }, "\(labels) does not select \(podLabels)")
            }
        }
    }

    @Test func podIsHardened() throws {
        for objects in [kustomize, helm] {
            let pod = try #require(try object("Deployment", in: objects).at("spec.template.spec") as? Object)
            #expect(pod.at("securityContext.runAsNonRoot") as? Bool == true)
            #expect(pod.at("securityContext.seccompProfile.type") as? String == "RuntimeDefault")
            let container = try onlyContainer(try object("Deployment", in: objects))
            #expect(container.at("securityContext.readOnlyRootFilesystem") as? Bool == true)
            #expect(container.at("securityContext.allowPrivilegeEscalation") as? Bool == false)
            #expect(container.at("securityContext.capabilities.drop") as? [String] == ["ALL"])
            #expect(container.at("resources.requests") != nil && container.at("resources.limits") != nil)
            #expect(container.at("livenessProbe.httpGet.path") as? String == "/healthz")
            #expect(container.at("readinessProbe.httpGet.path") as? String == "/readyz")
        }
    }

    @Test func terminationGraceOutlastsShutdownDelayPlusGrace() async throws {
        let custom = try manifestObjects(
            try await renderChart(["--set", "shutdown.delaySeconds=12", "--set", "shutdown.graceSeconds=50"])
        )
        for objects in [kustomize, helm, custom] {
            let deployment = try object("Deployment", in: objects)
            let args = try #require(try onlyContainer(deployment)["args"] as? [String])
            func seconds(_ flag: String) throws -> Int {
                let value = try #require(args.first { $0.hasPrefix("--\(flag)=") }?.split(separator: "=").last)
                return try #require(Int(value.dropLast()), "--\(flag)=\(value) is not whole seconds")
            }
            let grace = try #require(deployment.at("spec.template.spec.terminationGracePeriodSeconds") as? Int)
            #expect(grace > (try seconds("shutdown-delay")) + (try seconds("shutdown-grace")))
        }
    }

    private func onlyContainer(_ deployment: Object) throws -> Object {
        let containers = try #require(deployment.at("spec.template.spec.containers") as? [Object])
        try #require(containers.count == 1)
        return containers[0]
    }
}
