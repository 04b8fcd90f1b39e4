public import Kube

/// The fields of a NotebookValidationJob that the reconciler uses, read from the API's JSON.
public struct Job: Sendable, Hashable {
    /// `metadata` of the job.
    public struct Metadata: Sendable, Hashable {
        /// The job's name.
        public var name: String
        /// The job's namespace.
        public var namespace: String
        /// The job's uid, for Events.
        public var uid: String?
        /// The version read, used as the precondition of every patch.
        public var resourceVersion: String?
        /// The spec generation.
        public var generation: Int64?
        /// The annotations; absent when the object has none.
        public var annotations: [String: String]?
        /// The labels; absent when the object has none.
        public var labels: [String: String]?
        /// Set while the job is being deleted.
        public var deletionTimestamp: String?
    }

    /// `status` of the job.
    public struct Status: Sendable, Hashable {
        /// `Pending`, `ValidationRunning`, `Succeeded`, `Failed`, …
        public var phase: String?
        /// When the job finished, if the operator recorded it.
        public var completionTime: String?
        /// The operator's message, such as `executing cell 3/12`.
        public var message: String?
        /// The first cell result whose status is `Failure`, if any.
        public var failedCell: FailedCell?

        /// Creates a status (tests and the cache).
        public init(phase: String?, completionTime: String? = nil, message: String? = nil, failedCell: FailedCell? = nil) {
            self.phase = phase
            self.completionTime = completionTime
            self.message = message
            self.failedCell = failedCell
        }
    }

    /// One entry of `status.results` that failed: `{cellIndex, status: Failure, errorMessage}`, as the operator writes it
    /// (deploy/argocd/health.lua reads the same fields).
    public struct FailedCell: Sendable, Hashable {
        /// `cellIndex`.
        public var index: Int
        /// `errorMessage`, possibly several lines.
        public var errorMessage: String?

        /// Creates a failed cell.
        public init(index: Int, errorMessage: String?) {
            self.index = index
            self.errorMessage = errorMessage
        }
    }

    /// `metadata`.
    public var metadata: Metadata
    /// `status`; absent on a new object.
    public var status: Status?

    /// Creates a job value (tests and the cache).
    public init(metadata: Metadata, status: Status?) {
        self.metadata = metadata
        self.status = status
    }

    /// Reads a job from its JSON; `nil` when it has no name or namespace.
    public init?(json: JSONValue) {
        guard let name = json["metadata", "name"]?.stringValue, let namespace = json["metadata", "namespace"]?.stringValue else { return nil }
        let annotations = json["metadata", "annotations"].map(\.stringMap)
        var metadata = Metadata(
            name: name, namespace: namespace, uid: json["metadata", "uid"]?.stringValue,
            resourceVersion: json["metadata", "resourceVersion"]?.stringValue,
            generation: json["metadata", "generation"]?.intValue.map(Int64.init), annotations: annotations)
        metadata.deletionTimestamp = json["metadata", "deletionTimestamp"]?.stringValue
        metadata.labels = json["metadata", "labels"].map(\.stringMap)
        self.metadata = metadata
        status = json["status"].map { status in
            let failed = status["results"]?.arrayValue?.first { $0["status"]?.stringValue == "Failure" }
            return Status(
                phase: status["phase"]?.stringValue, completionTime: status["completionTime"]?.stringValue, message: status["message"]?.stringValue,
                failedCell: failed.map { FailedCell(index: $0["cellIndex"]?.intValue ?? 0, errorMessage: $0["errorMessage"]?.stringValue) })
        }
    }

    /// Reads a job from a response body; `nil` when it is not one.
    public init?(body: [UInt8]) {
        guard let json = try? JSONValue(parsing: body) else { return nil }
        self.init(json: json)
    }

    /// `namespace/name`, the key of the cache and of the worker pool.
    public var key: String { "\(metadata.namespace)/\(metadata.name)" }

    /// One annotation's value.
    public func annotation(_ key: String) -> String? { metadata.annotations?[key] }

    /// The job's phase, or the empty string before the operator set one.
    public var phase: String { status?.phase ?? "" }
}

extension Job.Metadata {
    /// Creates job metadata (tests and the cache).
    public init(
        name: String, namespace: String, uid: String? = nil, resourceVersion: String? = nil, generation: Int64? = nil,
        annotations: [String: String]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.annotations = annotations
        self.labels = nil
        self.deletionTimestamp = nil
    }
}
