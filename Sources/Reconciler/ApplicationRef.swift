import Admission

/// The Argo CD Application a job belongs to (SPEC §3, §7): the application of its `argocd.argoproj.io/tracking-id`, else
/// its `app.kubernetes.io/instance` label. With apps in any namespace, Argo CD writes `<namespace>_<name>` in either; a
/// plain name lives in `--argocd-namespace`. (`_` cannot occur in an Application's name, so the split is unambiguous.)
public struct ApplicationRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The Application's namespace.
    public var namespace: String
    /// The Application's name.
    public var name: String

    /// Creates a reference.
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The Application of `job`, or `nil` when it names none.
    /// - Parameter defaultNamespace: where an Application named without a namespace lives (`--argocd-namespace`).
    public init?(job: Job, defaultNamespace: String) {
        let tracked = job.annotation(AnnotationKeys.trackingID).flatMap(WaveGate.application(ofTrackingID:))
        guard let application = tracked ?? job.metadata.labels?[AnnotationKeys.instanceLabel], !application.isEmpty else { return nil }
        if let underscore = application.firstIndex(of: "_") {
            let namespace = application[..<underscore]
            let name = application[application.index(after: underscore)...]
            guard !namespace.isEmpty, !name.isEmpty else { return nil }
            self.init(namespace: String(namespace), name: String(name))
        } else {
            self.init(namespace: defaultNamespace, name: application)
        }
    }

    /// The Application's API path.
    var path: String { "/apis/argoproj.io/v1alpha1/namespaces/\(namespace)/applications/\(name)" }

    /// `namespace/name`.
    public var description: String { "\(namespace)/\(name)" }

    public static func < (lhs: ApplicationRef, rhs: ApplicationRef) -> Bool { (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name) }
}
