/// One thing a requester must be allowed to do themselves for a trigger to be admitted (SPEC §4, requester authority):
/// the resource attributes of a SubjectAccessReview.
public struct AccessCheck: Sendable, Hashable, CustomStringConvertible {
    /// The verb: `patch` or `create`.
    public var verb: String
    /// The API group, empty for the core group.
    public var group: String
    /// The resource's plural name.
    public var resource: String
    /// The subresource, for example `eviction`.
    public var subresource: String?
    /// The namespace.
    public var namespace: String
    /// The object's name; `nil` for any object of the resource.
    public var name: String?

    /// Creates a check.
    public init(verb: String, group: String, resource: String, subresource: String? = nil, namespace: String, name: String?) {
        self.verb = verb
        self.group = group
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }

    /// What the trigger makes triggergate do, as the requester would have to do it: `patch` on the workload, the
    /// Application or the refreshed resource; `create` on `pods/eviction` for an InferenceService restart.
    /// - Parameters:
    ///   - target: the trigger's target.
    ///   - resource: the target kind's plural resource name, as discovery names it.
    public static func required(for target: TriggerTarget, resource: String) -> AccessCheck {
        if target.trigger.action == .restart, target.isInferenceService {
            return AccessCheck(verb: "create", group: "", resource: "pods", subresource: "eviction", namespace: target.namespace, name: nil)
        }
        return AccessCheck(verb: "patch", group: target.group, resource: resource, namespace: target.namespace, name: target.trigger.name)
    }

    /// The resource as kubectl names it: `deployments.apps`, `pods/eviction`.
    public var resourceName: String {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return subresource.map { "\(qualified)/\($0)" } ?? qualified
    }

    /// `patch deployments.apps "serve" in namespace "ml-platform"`, as denials name what is missing.
    public var description: String {
        let object = name.map { " \(quoted($0))" } ?? ""
        return "\(verb) \(resourceName)\(object) in namespace \(quoted(namespace))"
    }
}

extension TriggerTarget {
    /// The plural resource name of the target's kind when it is known without asking the cluster: the apps/v1
    /// workloads, the ArgoCD Application and the KServe InferenceService; `nil` for other kinds (ask discovery).
    public var knownResource: String? {
        if let plural = appsWorkloadPlural { return plural }
        if isArgoApplication { return "applications" }
        if isInferenceService { return "inferenceservices" }
        return nil
    }

    /// The plural the API server would most likely give the kind, as Kubernetes' `UnsafeGuessKindToResource` does:
    /// lower case, then `s`, `es` after an `s`, `ies` for a final `y`. Used only when discovery does not know the kind.
    public var guessedResource: String {
        let lower = trigger.kind.lowercased()
        if lower.hasSuffix("s") { return lower + "es" }
        if lower.hasSuffix("y") { return lower.dropLast() + "ies" }
        return lower + "s"
    }
}
