import Glibc
import Kube

extension TriggerRunner {
    /// Writes one Event on `job`; a failure is logged, never retried (the outcome is already in `trigger-status`).
    func event(_ job: Job, _ reason: EventBody.Reason, _ message: String) async {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let unique = UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
        let request = EventBody.request(job: job, reason: reason, message: message, now: .now(), unique: unique, instance: settings.instance)
        do {
            let response = try await api.send(request)
            if !response.isSuccess { logger.warning("cannot write Event", metadata: ["job": "\(job.key)", "error": "\(APIStatus.summary(of: response))"]) }
        } catch {
            logger.warning("cannot write Event", metadata: ["job": "\(job.key)", "error": "\(error)"])
        }
    }
}
