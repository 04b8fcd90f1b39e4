/// One thing wrong with an annotation, placed at a path such as
/// `metadata.annotations[mlops.dev/on-success-trigger][1].action`.
public struct AnnotationProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is, for example `metadata.annotations[mlops.dev/block-wave]`.
    public var path: String
    /// What is wrong and what is wanted.
    public var message: String

    /// Creates a problem.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`, the form every denial and lint line uses.
    public var description: String { "\(path): \(message)" }
}

/// Every problem found in one annotation value; thrown by ``Trigger/parseList(annotationValue:)``.
public struct AnnotationProblems: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in the order they were found. Never empty.
    public var problems: [AnnotationProblem]

    /// Creates the error from a non-empty list of problems.
    public init(_ problems: [AnnotationProblem]) {
        self.problems = problems
    }

    /// All problems joined by `; `, as admission denials and `lint` print them.
    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
