/// One thing wrong with an annotation, placed at a path such as
/// `metadata.annotations[mlops.dev/on-success-trigger][1].action`, in the words kubectl prints a Kubernetes field
/// error (`field.Required`, `field.NotSupported`, …): `<path>: <kind of error>[: <value>][: <detail>]`.
public struct AnnotationProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is, for example `metadata.annotations[mlops.dev/block-wave]`.
    public var path: String
    /// What is wrong and what is wanted, starting with the kind of error: `Required value`, `Invalid value: "x": …`.
    public var message: String
    /// Where in the annotation's value the problem is (1-based line and column), when it is inside the value.
    public var place: ValuePlace?

    /// Creates a problem.
    public init(path: String, message: String, place: ValuePlace? = nil) {
        self.path = path
        self.message = message
        self.place = place
    }

    /// `path: message`, the form every denial and lint line uses.
    public var description: String { "\(path): \(message)" }
}

/// A line and column (both from 1) inside an annotation's value.
public struct ValuePlace: Sendable, Hashable {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int

    /// Creates a place.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// The kinds of field error, worded as Kubernetes' `k8s.io/apimachinery/pkg/util/validation/field` prints them.
extension AnnotationProblem {
    /// `Required value`, then `: detail` when there is one.
    static func required(_ path: String, _ detail: String? = nil, at place: ValuePlace? = nil) -> AnnotationProblem {
        AnnotationProblem(path: path, message: "Required value" + (detail.map { ": " + $0 } ?? ""), place: place)
    }

    /// `Invalid value: <value>: detail`; `value` is printed as given (``quoted(_:)`` strings first), or left out when nil.
    static func invalid(_ path: String, _ value: String?, _ detail: String, at place: ValuePlace? = nil) -> AnnotationProblem {
        AnnotationProblem(path: path, message: "Invalid value" + (value.map { ": " + $0 } ?? "") + ": " + detail, place: place)
    }

    /// `Unsupported value: "value": detail`; the detail lists what is supported (`supported values: "a", "b"`).
    static func notSupported(_ path: String, _ value: String, _ detail: String, at place: ValuePlace? = nil) -> AnnotationProblem {
        AnnotationProblem(path: path, message: "Unsupported value: \(quoted(value)): " + detail, place: place)
    }

    /// `Duplicate value: detail`.
    static func duplicate(_ path: String, _ detail: String, at place: ValuePlace? = nil) -> AnnotationProblem {
        AnnotationProblem(path: path, message: "Duplicate value: " + detail, place: place)
    }

    /// `Forbidden: detail`.
    static func forbidden(_ path: String, _ detail: String, at place: ValuePlace? = nil) -> AnnotationProblem {
        AnnotationProblem(path: path, message: "Forbidden: " + detail, place: place)
    }

    /// `Too many: <count>: must have at most <limit> items`.
    static func tooMany(_ path: String, _ count: Int, limit: Int) -> AnnotationProblem {
        AnnotationProblem(path: path, message: "Too many: \(count): must have at most \(limit) items")
    }

    /// `Too long: must have at most <limit> bytes`, then `detail`.
    static func tooLong(_ path: String, limit: Int, _ detail: String) -> AnnotationProblem {
        AnnotationProblem(path: path, message: "Too long: must have at most \(limit) bytes" + detail)
    }
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
