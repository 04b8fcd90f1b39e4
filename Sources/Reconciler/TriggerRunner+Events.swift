import Kube

extension TriggerRunner {
    /// Writes one Event on `job` (or counts its repeat); a failure is logged, never retried (the outcome is already in `trigger-status`).
    func event(_ job: Job, _ reason: EventBody.Reason, _ message: String) async {
        do {
            let response = try await events.record(job, reason, message)
            if !response.isSuccess { logger.warning("cannot write Event", metadata: ["job": "\(job.key)", "error": "\(APIStatus.summary(of: response))"]) }
        } catch {
            logger.warning("cannot write Event", metadata: ["job": "\(job.key)", "error": "\(error)"])
        }
    }
}
