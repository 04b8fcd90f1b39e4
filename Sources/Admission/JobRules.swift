/// What the rules found in one NotebookValidationJob's annotations.
public struct JobFindings: Sendable, Equatable {
    /// Writes to controller-owned keys by someone who may not make them (denied with 403).
    public var forbidden: [AnnotationProblem] = []
    /// Rule violations (denied with 422).
    public var invalid: [AnnotationProblem] = []
    /// Warnings, each at most 120 characters.
    public var warnings: [String] = []
    /// The triggers of a valid list that are new or changed against the stored object, with their places in the list:
    /// what admission reviews against the cluster (SPEC §4). Empty when the list has problems or did not change.
    public var newTriggers: [PlacedTrigger] = []

    /// Every problem, forbidden writes first.
    public var problems: [AnnotationProblem] { forbidden + invalid }
}

/// A trigger with its place in the job's list, for messages: `metadata.annotations[mlops.dev/on-success-trigger][index]`.
public struct PlacedTrigger: Sendable, Hashable {
    /// Its index in the list, from 0.
    public var index: Int
    /// Where it points.
    public var target: TriggerTarget

    /// Creates a placed trigger.
    public init(index: Int, target: TriggerTarget) {
        self.index = index
        self.target = target
    }

    /// The message path of this trigger.
    public var path: String { "\(triggerPath)[\(index)]" }
}

/// The job a review is about.
public struct JobSubject: Sendable, Equatable {
    /// The job's name, `nil` for a CREATE with `generateName`.
    public var name: String?
    /// The job's namespace.
    public var namespace: String
    /// The job's annotations (empty when it has none).
    public var annotations: [String: String]

    /// Creates a subject.
    public init(name: String?, namespace: String, annotations: [String: String]) {
        self.name = name
        self.namespace = namespace
        self.annotations = annotations
    }
}

/// Applies SPEC §1 and the controller-owned-key rule of §4 to a job's annotations.
/// - Parameters:
///   - job: the job as it would be stored.
///   - oldAnnotations: the stored annotations on UPDATE (rules then ratchet: an unchanged invalid value only warns); `nil` on CREATE.
///   - mayWriteControllerKeys: whether the writer is triggergate or an allowed writer.
///   - triggerChecks: where the answers for recent trigger lists are remembered, or `nil` to parse every time.
/// - Returns: the problems and warnings found.
public func reviewJob(
    _ job: JobSubject, oldAnnotations: [String: String]?, mayWriteControllerKeys: Bool, triggerChecks: TriggerCheckMemo? = nil
) -> JobFindings {
    var findings = JobFindings()
    let new = job.annotations
    func changed(_ keys: String...) -> Bool {
        guard let old = oldAnnotations else { return true }
        return keys.contains { old[$0] != new[$0] }
    }
    func enforce(_ problems: [AnnotationProblem], enforced: Bool) {
        if enforced {
            findings.invalid += problems
        } else if let first = problems.first {
            let key = AnnotationKeys.key(ofPath: first.path)
            findings.warnings.append(boundedWarning("\(key) is invalid but unchanged, so it is allowed: \(first.message)"))
        }
    }
    if !mayWriteControllerKeys {
        for key in AnnotationKeys.controllerOwned where oldAnnotations.map({ $0[key] != new[key] }) ?? (new[key] != nil) {
            findings.forbidden.append(.forbidden(AnnotationKeys.path(key), "only triggergate may add, change or remove this annotation"))
        }
    }
    if let value = new[AnnotationKeys.trigger] {
        let owner = TriggerOwner(namespace: job.namespace, name: job.name)
        func check(_ value: String) -> TriggerListCheck {
            triggerChecks?.check(value, owner: owner) ?? Trigger.check(value, owner: owner)
        }
        let result = check(value)
        let isChanged = changed(AnnotationKeys.trigger)
        enforce(result.problems, enforced: isChanged)
        if isChanged, let triggers = result.triggers {
            let old = Set((oldAnnotations?[AnnotationKeys.trigger].flatMap { check($0).triggers } ?? [])
                .map { TriggerTarget($0, jobNamespace: job.namespace) })
            findings.newTriggers = triggers.enumerated().compactMap { index, trigger in
                let target = TriggerTarget(trigger, jobNamespace: job.namespace)
                return old.contains(target) ? nil : PlacedTrigger(index: index, target: target)
            }
        }
    }
    enforce(WaveRules.problems(in: new), enforced: changed(AnnotationKeys.blockWave, AnnotationKeys.syncWave))
    for key in new.keys.sorted() {
        if let warning = AnnotationKeys.misspellingWarning(for: key) { findings.warnings.append(warning) }
    }
    return findings
}
