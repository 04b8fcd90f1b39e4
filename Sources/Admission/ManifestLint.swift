internal import YAML

/// One finding of `triggergate lint` in a manifest file.
public struct LintFinding: Sendable, Equatable {
    /// How serious a finding is.
    public enum Severity: String, Sendable {
        /// Admission would deny this.
        case error
        /// Admission would allow this with a warning.
        case warning
    }

    /// The document's position in the file, starting at 1.
    public var document: Int
    /// Whether admission would deny or warn.
    public var severity: Severity
    /// The message, in the same words admission uses.
    public var message: String
}

/// What `lint` found in one multi-document YAML text.
public struct LintReport: Sendable, Equatable {
    /// The findings, in document order.
    public var findings: [LintFinding] = []
    /// Whether some trigger targets another namespace, whose consent cannot be checked offline.
    public var crossNamespaceTargets = false
}

/// Checks every NotebookValidationJob in a multi-document YAML text with the admission rules of a CREATE by a user:
/// trigger and wave rules, did-you-mean warnings, and controller-owned keys (which a manifest must not carry).
/// - Parameter text: the manifests; other kinds are skipped.
/// - Returns: the findings, and whether cross-namespace consent would need checking.
public func lintManifests(_ text: String) -> LintReport {
    var report = LintReport()
    var document = 0
    do {
        try YAMLNode.loadDocuments(text) { root in
            document += 1
            lintDocument(root, document: document, into: &report)
        }
    } catch {
        report.findings.append(LintFinding(document: document + 1, severity: .error, message: error.description))
    }
    return report
}

private let jobAPIVersion = "mlops.mlops.dev/v1alpha1"
private let jobKind = "NotebookValidationJob"

private func lintDocument(_ root: YAMLNode, document: Int, into report: inout LintReport) {
    func add(_ severity: LintFinding.Severity, _ message: String) {
        report.findings.append(LintFinding(document: document, severity: severity, message: message))
    }
    let apiVersion = root["apiVersion"]?.text ?? ""
    let kind = root["kind"]?.text ?? ""
    if kind != jobKind, apiVersion.hasPrefix("mlops.mlops.dev/"), nearest(to: kind, in: [jobKind], maxDistance: 3) != nil {
        add(.error, "kind: unknown kind \(quoted(kind)): did you mean \(jobKind)?")
    }
    guard kind == jobKind else { return }
    if apiVersion != jobAPIVersion {
        add(.error, "apiVersion: \(quoted(apiVersion)) is wrong for kind \(jobKind): want \(jobAPIVersion)")
    }
    let metadata = root["metadata"]
    var annotations: [String: String] = [:]
    for (key, value) in metadata?["annotations"]?.entries ?? [:] {
        if value.scalarType == .string, let text = value.text {
            annotations[key] = text
        } else {
            let shown = value.text.map { ": quote it, as \(quoted($0))" }
                ?? ": write it as a block string, \"\(key): |\" with the YAML indented below it"
            add(.error, "\(AnnotationKeys.path(key)): want a string value\(shown)")
        }
    }
    let namespace = metadata?["namespace"]?.text
    let job = JobSubject(name: metadata?["name"]?.text, namespace: namespace ?? "", annotations: annotations)
    let findings = reviewJob(job, oldAnnotations: nil, mayWriteControllerKeys: false)
    for problem in findings.problems { add(.error, problem.description) }
    for warning in findings.warnings { add(.warning, warning) }
    if let value = annotations[AnnotationKeys.trigger], let triggers = try? Trigger.parseList(annotationValue: value),
       triggers.contains(where: { $0.namespace != nil && $0.namespace != namespace }) {
        report.crossNamespaceTargets = true
    }
}
