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
    /// The line in the file, from 1: of the annotation's value, or of the place inside the value (a block scalar's own line).
    public var line: Int
    /// The column in the file, from 1.
    public var column: Int
    /// The field the finding is about (`metadata.annotations[mlops.dev/block-wave]`, `apiVersion`), or nil for a YAML
    /// error in the file or a warning.
    public var field: String?
    /// What is wrong, in the words admission uses, after the field.
    public var message: String

    /// `field: message`, as admission words it, or the message alone.
    public var text: String { field.map { "\($0): \(message)" } ?? message }
}

/// What `lint` found in one multi-document YAML text.
public struct LintReport: Sendable, Equatable {
    /// The findings, in document order.
    public var findings: [LintFinding] = []
    /// Whether some trigger targets another namespace than its job's, whose consent cannot be checked offline.
    public var crossNamespaceTargets = false
    /// Whether the text is not valid YAML (its last finding says where); the documents before the error were checked.
    public var unparsable = false
}

/// Checks every NotebookValidationJob in a multi-document YAML text with the admission rules of a CREATE by a user:
/// trigger and wave rules, did-you-mean warnings, and controller-owned keys (which a manifest must not carry).
/// Each finding carries its line and column in the text, from libyaml's marks.
/// - Parameter text: the manifests; other kinds are skipped.
/// - Returns: the findings, and whether cross-namespace consent would need checking.
public func lintManifests(_ text: String) -> LintReport {
    var report = LintReport()
    var document = 0
    let source = SourceLines(text)
    do {
        try YAMLNode.loadDocuments(text) { root in
            document += 1
            lintDocument(root, document: document, source: source, into: &report)
        }
    } catch {
        let mark = error.mark ?? YAMLMark(line: 1, column: 1)
        report.findings.append(LintFinding(
            document: document + 1, severity: .error, line: mark.line, column: mark.column, field: nil, message: error.message))
        report.unparsable = true
    }
    return report
}

private let jobAPIVersion = "mlops.mlops.dev/v1alpha1"
private let jobKind = "NotebookValidationJob"

/// Checks one document; its findings are added in the order of their places in the file.
private func lintDocument(_ root: YAMLNode, document: Int, source: SourceLines, into report: inout LintReport) {
    var found: [LintFinding] = []
    defer {
        report.findings += found.enumerated().sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
            .map(\.element)
    }
    func add(_ severity: LintFinding.Severity, _ field: String?, _ message: String, at mark: YAMLMark) {
        found.append(LintFinding(
            document: document, severity: severity, line: mark.line, column: mark.column, field: field, message: message))
    }
    let apiVersion = root["apiVersion"]?.text ?? ""
    let kind = root["kind"]?.text ?? ""
    if kind != jobKind, apiVersion.hasPrefix("mlops.mlops.dev/"), nearest(to: kind, in: [jobKind], maxDistance: 3) != nil {
        add(.error, "kind", "Unsupported value: \(quoted(kind)): did you mean \(jobKind)?", at: root["kind"]?.mark ?? root.mark)
    }
    guard kind == jobKind else { return }
    if apiVersion != jobAPIVersion {
        add(.error, "apiVersion", "Invalid value: \(quoted(apiVersion)): wrong for kind \(jobKind): want \(jobAPIVersion)",
            at: root["apiVersion"]?.mark ?? root.mark)
    }
    let metadata = root["metadata"]
    let annotationNodes = metadata?["annotations"]?.entries ?? [:]
    var annotations: [String: String] = [:]
    for (key, value) in annotationNodes {
        if value.scalarType == .string, let text = value.text {
            annotations[key] = text
        } else {
            let problem = value.text.map { AnnotationProblem.invalid(AnnotationKeys.path(key), $0, "want a string value: quote it, as \(quoted($0))") }
                ?? .invalid(AnnotationKeys.path(key), value.items == nil ? "a mapping" : "a list",
                            "want a string value: write it as a block string, \"\(key): |\" with the YAML indented below it")
            add(.error, problem.path, problem.message, at: value.mark)
        }
    }
    let fallback = metadata?["annotations"]?.mark ?? metadata?.mark ?? root.mark
    let namespace = metadata?["namespace"]?.text
    let job = JobSubject(name: metadata?["name"]?.text, namespace: namespace ?? "", annotations: annotations)
    let findings = reviewJob(job, oldAnnotations: nil, mayWriteControllerKeys: false)
    for problem in findings.problems {
        let value = annotationNodes[String(AnnotationKeys.key(ofPath: problem.path))]
        let mark = value.map { source.mark(of: problem.place, inValueAt: $0.mark) } ?? fallback
        add(.error, problem.path, problem.message, at: mark)
    }
    for warning in findings.warnings {
        let key = annotationNodes.keys.first { AnnotationKeys.misspellingWarning(for: $0) == warning }
        add(.warning, nil, warning, at: key.flatMap { annotationNodes[$0]?.mark } ?? fallback)
    }
    if let value = annotations[AnnotationKeys.trigger], let triggers = try? Trigger.parseList(annotationValue: value),
       triggers.contains(where: { $0.namespace != nil && $0.namespace != namespace }) {
        report.crossNamespaceTargets = true
    }
}
