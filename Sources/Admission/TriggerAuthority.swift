/// What the cluster says about one new or changed trigger (SPEC §4), gathered before the decision.
public struct TriggerFacts: Sendable, Equatable {
    /// The target namespace's `mlops.dev/trigger-sources`; `nil` when the target is in the job's own namespace.
    public var consent: CacheLookup<String?>?
    /// The plural resource name discovery gives the kind: `.known(nil)` when the cluster does not serve it.
    public var resource: CacheLookup<String?>
    /// The requester-authority review's answer; `nil` when no review is made (triggergate's own identity).
    public var access: AccessAnswer?
    /// Whether the target exists now; `nil` when that is not known.
    public var exists: Bool?

    /// Creates facts.
    public init(consent: CacheLookup<String?>?, resource: CacheLookup<String?>, access: AccessAnswer?, exists: Bool?) {
        self.consent = consent
        self.resource = resource
        self.access = access
        self.exists = exists
    }
}

/// The cluster rules for new or changed triggers (SPEC §4): cross-namespace consent, requester authority, and the
/// visibility warnings of §2. Pure: the facts are gathered first, by ``gather(_:jobNamespace:user:reviewed:view:answers:)``.
public enum TriggerAuthority {
    /// Judges the facts of each trigger.
    /// - Returns: refusals of the requester's authority (403), consent refusals (422) and warnings.
    public static func judge(_ triggers: [PlacedTrigger], facts: [TriggerFacts], jobNamespace: String, user: UserInfo) -> JobFindings {
        var findings = JobFindings()
        for (placed, fact) in zip(triggers, facts) {
            let target = placed.target
            let short = "\(AnnotationKeys.trigger)[\(placed.index)]"
            switch fact.consent {
            case .known(let sources) where !Consent.allows(sources, source: jobNamespace):
                findings.invalid.append(.forbidden(placed.path, Consent.refusal(source: jobNamespace, target: target)))
            case .unsynced:
                findings.warnings.append(boundedWarning(
                    "\(short): consent of namespace \(target.namespace) not checked yet; checked again before the trigger runs"))
            default: break
            }
            let check = AccessCheck.required(for: target, resource: resource(of: target, fact.resource))
            switch fact.access {
            case .denied:
                findings.forbidden.append(.forbidden(placed.path, "user \(quoted(user.username)) cannot \(check)"))
            case .unavailable(let reason):
                findings.forbidden.append(.forbidden(
                    placed.path,
                    "cannot check that user \(quoted(user.username)) may \(check): \(reason); denied, since the check fails closed (try again)"))
            case .allowed, nil: break
            }
            if case .known(nil) = fact.resource {
                findings.warnings.append(boundedWarning(
                    "\(short): \(target.trigger.apiVersion) \(target.trigger.kind) is not served by this cluster (yet)"))
            } else if fact.exists == false {
                findings.warnings.append(boundedWarning(
                    "\(short): \(check.resourceName) \(quoted(target.trigger.name)) not found in namespace \(target.namespace) (yet)"))
            }
        }
        return findings
    }

    /// Gathers the facts for each trigger: consent from the namespace cache, the resource from discovery, and
    /// through `answers` the requester's authority (when `reviewed`) and whether the target exists. When every answer
    /// is kept, nothing waits.
    public static func gather(
        _ triggers: [PlacedTrigger], jobNamespace: String, user: UserInfo, reviewed: Bool, view: any ClusterView, answers: ClusterAnswers
    ) async -> [TriggerFacts] {
        var resources: [CacheLookup<String?>] = []
        for placed in triggers {
            if let known = placed.target.knownResource {
                resources.append(.known(known))
            } else {
                resources.append(await view.resource(of: placed.target))
            }
        }
        let checks = zip(triggers, resources).map { AccessCheck.required(for: $0.target, resource: resource(of: $0.target, $1)) }
        var existence: [ClusterAnswers.Existence] = []
        var existenceIndex: [Int: Int] = [:]
        for (index, (placed, resource)) in zip(triggers, resources).enumerated() {
            guard case .known(let plural?) = resource else { continue }
            existenceIndex[index] = existence.count
            existence.append((placed.target, plural))
        }
        let found = await answers.answers(reviewed ? checks : [], user: user, existence: existence, view: view)
        return triggers.indices.map { index in
            let target = triggers[index].target
            return TriggerFacts(
                consent: target.namespace == jobNamespace ? nil : view.triggerSources(ofNamespace: target.namespace),
                resource: resources[index], access: reviewed ? found.access[index] : nil,
                exists: existenceIndex[index].flatMap { found.exists[$0] })
        }
    }

    private static func resource(of target: TriggerTarget, _ lookup: CacheLookup<String?>) -> String {
        if case .known(let plural?) = lookup { return plural }
        return target.guessedResource
    }
}
