/// What the rules found in one NotebookValidationJob's annotations.
public struct JobFindings: Sendable, Equatable {
    /// Writes to controller-owned keys by someone who may not make them (denied with 403).
    public var forbidden: [AnnotationProblem] = []
    /// Rule violations (denied with 422).
    public var invalid: [AnnotationProblem] = []
    /// Warnings, each at most 120 characters.
    public var warnings: [String] = []

    /// Every problem, forbidden writes first.
    public var problems: [AnnotationProblem] { forbidden + invalid }
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
            findings.forbidden.append(AnnotationProblem(
                path: AnnotationKeys.path(key), message: "only triggergate may add, change or remove this annotation"))
        }
    }
    if let value = new[AnnotationKeys.trigger] {
        let owner = TriggerOwner(namespace: job.namespace, name: job.name)
        let problems = triggerChecks?.problems(in: value, owner: owner) ?? Trigger.problems(in: value, owner: owner)
        enforce(problems, enforced: changed(AnnotationKeys.trigger))
    }
    enforce(WaveRules.problems(in: new), enforced: changed(AnnotationKeys.blockWave, AnnotationKeys.syncWave))
    for key in new.keys.sorted() {
        if let warning = AnnotationKeys.misspellingWarning(for: key) { findings.warnings.append(warning) }
    }
    return findings
}
