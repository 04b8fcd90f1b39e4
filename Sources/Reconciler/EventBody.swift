import Kube
/// The Kubernetes Events the reconciler writes on a job: `TriggerSucceeded` and `TriggerFailed`.
public enum EventBody {
    /// Why an Event is written.
    public enum Reason: String, Sendable {
        /// A trigger did what it should (type Normal).
        case TriggerSucceeded
        /// A trigger gave up (type Warning).
        case TriggerFailed
    }

    /// The request that creates the Event, shaped as the API server's own fixtures show.
    ///
    /// - Parameters:
    ///   - job: The job the Event is about.
    ///   - reason: Success or failure.
    ///   - message: What happened and, for a failure, what to do.
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
                ("name", .string("\(job.metadata.name).\(String(unique, radix: 16))")),
                ("namespace", .string(job.metadata.namespace)),
            ])),
            ("involvedObject", .object(involved)),
            ("reason", .string(reason.rawValue)), ("message", .string(String(message.prefix(1024)))),
            ("source", .object([("component", .string("triggergate"))])),
            ("firstTimestamp", time), ("lastTimestamp", time), ("count", .int(1)),
            ("type", .string(reason == .TriggerSucceeded ? "Normal" : "Warning")),
            ("eventTime", .null), ("reportingComponent", .string("triggergate")), ("reportingInstance", .string(instance)),
        ])
        return .post("/api/v1/namespaces/\(job.metadata.namespace)/events", body)
    }
}
