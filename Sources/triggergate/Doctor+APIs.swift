import Kube
import Reconciler

extension Doctor {
    /// An API triggergate uses, and who provides it.
    struct NeededAPI: Sendable {
        var type: ResourceType
        var kind: String
        var fix: String
        var optional = false
    }

    /// The custom resources triggergate works with.
    static let apis: [NeededAPI] = [
        NeededAPI(type: .notebookValidationJobs, kind: "NotebookValidationJob", fix: "install the jupyter-notebook-validator-operator, which brings the CRD"),
        NeededAPI(type: .applications, kind: "Application", fix: "install Argo CD, which brings the CRD"),
        NeededAPI(type: .inferenceServices, kind: "InferenceService", fix: "install KServe if jobs trigger InferenceServices", optional: true),
    ]

    /// Whether each custom resource is served, from discovery.
    func apiChecks() async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        for api in Self.apis {
            let name = "\(api.kind) (\(api.type))"
            var served = false
            do {
                served = try await client.discover(groupVersion: api.type.groupVersion).resources.contains { $0.name == api.type.plural }
            } catch let error as KubeError where error.kind == .notFound {
                served = false
            } catch {
                checks.append(.failed("crd", "cannot read discovery for \(api.type.groupVersion): \(error)", fix: "check the kubeconfig and the API server"))
                continue
            }
            if served {
                checks.append(.ok("crd", "\(name) is served"))
            } else if api.optional {
                checks.append(.skipped("crd", "\(name) is not served (optional)", fix: api.fix))
            } else {
                checks.append(.failed("crd", "\(name) is not served", fix: api.fix))
            }
        }
        return checks
    }

    /// Whether triggergate's service account may do everything the code does, one line per resource (SubjectAccessReview).
    func rbacChecks() async -> [DoctorCheck] {
        let user = "system:serviceaccount:\(namespace):\(serviceAccount)"
        var checks: [DoctorCheck] = []
        for rule in AccessRule.triggergate {
            let scope = rule.scope == .leaseNamespace ? "in namespace \(leaseNamespace)" : "in every namespace"
            var denied: [String] = []
            for verb in rule.verbs {
                let review = SubjectAccessReview(
                    user: user, groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", "system:authenticated"],
                    namespace: rule.scope == .leaseNamespace ? leaseNamespace : nil, verb: verb, group: rule.group,
                    resource: rule.resource, subresource: rule.subresource)
                do {
                    if try await !client.review(review).allowed { denied.append(verb) }
                } catch {
                    return checks + [.failed("rbac", "cannot ask the API server (SubjectAccessReview): \(error)",
                                             fix: "run doctor as a user who may create subjectaccessreviews, or in triggergate's pod")]
                }
            }
            let role = rule.scope == .leaseNamespace ? "its Role in \(leaseNamespace)" : "its ClusterRole"
            if denied.isEmpty {
                checks.append(.ok("rbac", "\(serviceAccount) may \(rule.verbs.joined(separator: ", ")) \(rule.label) \(scope)"))
            } else {
                checks.append(.failed("rbac", "\(serviceAccount) may not \(denied.joined(separator: ", ")) \(rule.label) \(scope)",
                                      fix: "grant \(denied.joined(separator: ", ")) on \(rule.label) in \(role) (deploy/base/rbac.yaml or the chart)"))
            }
        }
        return checks
    }
}
