import Kube
/// The Kubernetes Events triggergate writes on a job, with stable reasons (SPEC §5, §7).
public enum EventBody {
    /// Why an Event is written; the raw value is the Event's `reason`, which alerts and notifications match on.
    public enum Reason: String, Sendable, CaseIterable {
        /// A trigger did what it should (type Normal).
        case TriggerSucceeded
        /// A trigger gave up (type Warning).
        case TriggerFailed
        /// The job succeeded and its wave is complete (type Normal).
        case WaveComplete
        /// The job failed and its wave with it (type Warning).
        case WaveFailed
        /// The wave gate refused an object of a later wave while the job runs (type Warning).
        case WaveBlocked

        /// `Normal` or `Warning`.
        public var type: String { self == .TriggerSucceeded || self == .WaveComplete ? "Normal" : "Warning" }
    }

    /// The request that creates the Event, shaped as the API server's own fixtures show.
    ///
    /// - Parameters:
    ///   - job: The job the Event is about.
    ///   - reason: What happened.
    ///   - message: What happened to which target and, for a failure, what to do.
    ///   - now: The Event's time.
    ///   - unique: A suffix that makes the name unique, as client-go uses the time in nanoseconds.
    ///   - instance: The reporting instance (the pod name).
    public static func request(job: Job, reason: Reason, message: String, now: Timestamp, unique: UInt64, instance: String) -> APIRequest {
        var involved: [(String, JSONValue)] = [
            ("apiVersion", .string("mlops.mlops.dev/v1alpha1")), ("kind", .string("NotebookValidationJob")),
            ("name", .string(job.metadata.name)), ("namespace", .string(job.metadata.namespace)),
        ]
        if let uid = job.metadata.uid { involved.append(("uid", .string(uid))) }
        if let version = job.metadata.resourceVersion { involved.append(("resourceVersion", .string(version))) }
        let time = JSONValue.string(now.description)
        let body = JSONValue.object([
            ("apiVersion", .string("v1")), ("kind", .string("Event")),
            ("metadata", .object([
                ("name", .string(name(of: job, unique: unique))),
                ("namespace", .string(job.metadata.namespace)),
            ])),
            ("involvedObject", .object(involved)),
            ("reason", .string(reason.rawValue)), ("message", .string(clipped(message))),
            ("source", .object([("component", .string("triggergate"))])),
            ("firstTimestamp", time), ("lastTimestamp", time), ("count", .int(1)),
            ("type", .string(reason.type)),
            ("eventTime", .null), ("reportingComponent", .string("triggergate")), ("reportingInstance", .string(instance)),
        ])
        return .post("/api/v1/namespaces/\(job.metadata.namespace)/events", body)
    }

    /// The merge patch that counts a repeat of an Event already written, as client-go's recorder does
    /// (fixture 63): `count`, `lastTimestamp` and `message`.
    public static func repeatRequest(namespace: String, name: String, count: Int, message: String, now: Timestamp) -> APIRequest {
        .mergePatch("/api/v1/namespaces/\(namespace)/events/\(name)", .object([
            ("count", .int(count)), ("lastTimestamp", .string(now.description)), ("message", .string(clipped(message))),
        ]))
    }

    /// `<job name>.<unique in hex>`.
    static func name(of job: Job, unique: UInt64) -> String { "\(job.metadata.name).\(String(unique, radix: 16))" }

    /// At most 1024 characters, as the API server keeps.
    static func clipped(_ message: String) -> String { String(message.prefix(1024)) }
}
