extension Trigger {
    /// Parses and validates a `mlops.dev/on-success-trigger` annotation value (SPEC §1.1).
    ///
    /// Checks everything that does not depend on the job: size (8 KiB), YAML shape (a non-empty sequence of at most
    /// 16 flat mappings of strings; anchors, aliases, tags, several documents and duplicate keys are refused), the field
    /// rules, the action/target matrix and duplicate items. The self-target rule needs the job and is checked by admission.
    /// - Parameter annotationValue: the annotation's value, YAML or JSON.
    /// - Returns: the triggers in the order written.
    /// - Throws: ``AnnotationProblems`` listing every problem, each with its path.
    public static func parseList(annotationValue: String) throws(AnnotationProblems) -> [Trigger] {
        []
    }
}
