import Kube

extension TriggerRunner {
    /// Writes one Event on `job` (or counts its repeat); a failure is logged, never retried (the outcome is already in `trigger-status`).
    func event(_ job: Job, _ reason: EventBody.Reason, _ message: String) async {
        do {
            let response = try await events.record(job, reason, message)
            if !response.isSuccess { eventFailed(APIFailure(response, request: "write an Event on \(job.key)"), job: job) }
        } catch {
            eventFailed(APIFailure(error), job: job)
        }
    }

    private func eventFailed(_ failure: APIFailure, job: Job) {
        let fix = failure.reason == .forbidden
            ? "grant create and patch on events (core) in namespace \(job.metadata.namespace) to triggergate's service account (deploy/base/rbac.yaml)" : ""
        failure.warn("cannot write Event", fix: fix, key: "event", limiter: eventWarnings, logger: logger, metadata: ["job": "\(job.key)"])
    }
}
