internal import YAML

/// The path prefix every trigger message starts with.
let triggerPath = AnnotationKeys.path(AnnotationKeys.trigger)

/// The job a trigger list belongs to, for the rules that compare a trigger with its job.
public struct TriggerOwner: Sendable, Hashable {
    /// The job's namespace; triggers without a namespace target this one.
    public var namespace: String
    /// The job's name, or `nil` when it is not known yet (a CREATE with `generateName`).
    public var name: String?

    /// Creates an owner.
    public init(namespace: String, name: String?) {
        self.namespace = namespace
        self.name = name
    }
}

extension Trigger {
    /// The most bytes an annotation value may hold (8 KiB).
    public static let maxAnnotationBytes = 8192
    /// The most triggers one annotation may list.
    public static let maxCount = 16
    /// The fields a trigger may have, in the order messages list them.
    static let fields = ["apiVersion", "kind", "name", "namespace", "action"]

    /// Parses and validates a `mlops.dev/on-success-trigger` annotation value (SPEC §1.1).
    ///
    /// Checks everything that does not depend on the job: size (8 KiB), YAML shape (a non-empty sequence of at most
    /// 16 flat mappings of strings; anchors, aliases, tags, several documents, duplicate keys and deep nesting are
    /// refused before anything is built), the field rules, the action/target matrix and duplicate items (compared as written).
    /// Use ``parseList(annotationValue:owner:)`` to add the rules that need the job.
    /// - Parameter annotationValue: the annotation's value, YAML (block or flow) or JSON.
    /// - Returns: the triggers in the order written.
    /// - Throws: ``AnnotationProblems`` listing every problem, each with its path.
    public static func parseList(annotationValue: String) throws(AnnotationProblems) -> [Trigger] {
        try parseList(annotationValue: annotationValue, owner: nil)
    }

    /// Parses and validates a `mlops.dev/on-success-trigger` annotation value with the job's own rules too:
    /// a trigger may not target the job itself, and duplicates are compared with the namespace defaulted to the job's.
    /// - Parameters:
    ///   - annotationValue: the annotation's value, YAML (block or flow) or JSON.
    ///   - owner: the job carrying the annotation, or `nil` to skip the rules that need it.
    /// - Returns: the triggers in the order written (namespaces as written).
    /// - Throws: ``AnnotationProblems`` listing every problem, each with its path.
    public static func parseList(annotationValue: String, owner: TriggerOwner?) throws(AnnotationProblems) -> [Trigger] {
        let size = annotationValue.utf8.count
        guard size <= maxAnnotationBytes else {
            throw AnnotationProblems([.tooLong(triggerPath, limit: maxAnnotationBytes, " (8 KiB), got \(size)")])
        }
        // The common forms are scanned without libyaml, to the very events libyaml gives (Fuzz/Annotations checks it).
        if let events = scanFlatListEvents(annotationValue) {
            return try build(events, owner: owner)
        }
        let events: [YAMLEvent]
        do {
            events = try scanYAMLEvents(annotationValue)
        } catch {
            throw AnnotationProblems([.invalid(
                triggerPath, nil, error.description, at: error.mark.map { ValuePlace(line: $0.line, column: $0.column) })])
        }
        return try build(events, owner: owner)
    }

    /// The triggers of a trigger annotation's node events, with the rules of ``parseList(annotationValue:owner:)``.
    static func build(_ events: [YAMLEvent], owner: TriggerOwner?) throws(AnnotationProblems) -> [Trigger] {
        var builder = TriggerListBuilder(events: events, owner: owner)
        let triggers = builder.build()
        guard builder.problems.isEmpty else { throw AnnotationProblems(builder.problems) }
        return triggers
    }

    /// What ``parseList(annotationValue:owner:)`` finds in `value`: the triggers when it is a valid trigger list, else
    /// every problem.
    public static func check(_ value: String, owner: TriggerOwner) -> TriggerListCheck {
        Result { () throws(AnnotationProblems) in try parseList(annotationValue: value, owner: owner) }
    }
}

/// The outcome of checking one trigger annotation value: its triggers, or every problem in it.
public typealias TriggerListCheck = Result<[Trigger], AnnotationProblems>

extension Result where Success == [Trigger], Failure == AnnotationProblems {
    /// The problems found, empty when the value is valid.
    public var problems: [AnnotationProblem] {
        if case .failure(let found) = self { return found.problems }
        return []
    }

    /// The triggers, or `nil` when the value has problems.
    public var triggers: [Trigger]? { try? get() }
}
