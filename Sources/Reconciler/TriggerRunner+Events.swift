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
            if !response.isSuccess { eventFailed(APIFailure(response, request: "\(request.method) \(request.path)"), job: job) }
        } catch {
            eventFailed(APIFailure(error), job: job)
        }
    }

    private func eventFailed(_ failure: APIFailure, job: Job) {
        let fix = failure.reason == .forbidden
            ? "grant create on events (core) in namespace \(job.metadata.namespace) to triggergate's service account (deploy/base/rbac.yaml)" : ""
        failure.warn("cannot write Event", fix: fix, key: "event", limiter: eventWarnings, logger: logger, metadata: ["job": "\(job.key)"])
    }
}
