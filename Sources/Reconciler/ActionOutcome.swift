public import Admission

/// How one attempt of a trigger ended.
public enum ActionOutcome: Sendable, Equatable {
    /// The action took effect (or had already taken effect in this run).
    case succeeded(String)
    /// A temporary error: try again after a backoff (at least `after`, when the API server asked for it), until the deadline.
    case retry(String, after: Duration? = nil)
    /// A permanent error: the trigger fails now.
    case failed(String)

    /// The outcome of an API answer that was not a success, with a hint a person can act on.
    ///
    /// - Parameters:
    ///   - response: The answer.
    ///   - target: The trigger, named at the start of the message.
    ///   - doing: What the call was for, such as `patch apps/v1 deployments`.
    ///   - afterJSONPatchTest: Whether the request was a JSON patch with a `test` operation.
    public static func error(_ response: APIResponse, target: TriggerTarget, doing: String, afterJSONPatchTest: Bool = false) -> ActionOutcome {
        let summary = "\(target.label): \(doing): \(APIStatus.summary(of: response))"
        switch FailureKind.of(status: response.status, afterJSONPatchTest: afterJSONPatchTest) {
        case .temporary:
            return .retry(summary, after: response.retryAfter)
        case .permanent:
            switch response.status {
            case 404: return .failed(summary + "; check the trigger's apiVersion, kind, namespace and name")
            case 403: return .failed(summary + "; grant triggergate's service account this permission (docs/triggers.md lists the RBAC of each action)")
            default: return .failed(summary)
            }
        }
    }

    /// The outcome when no answer came at all.
    public static func unreachable(_ error: any Error, target: TriggerTarget, doing: String) -> ActionOutcome {
        .retry("\(target.label): \(doing): no answer from the API server: \(error)")
    }

    /// The message, whatever the outcome.
    public var message: String {
        switch self {
        case .succeeded(let message), .retry(let message, _), .failed(let message): return message
        }
    }
}
