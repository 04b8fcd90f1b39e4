import Glibc
import Kube
import Metrics
import Locking

/// Writes Events on jobs and de-duplicates them as client-go's recorder does: an Event with the same job, reason, type
/// and message as one written before by this process is not created again; the existing one gets `count + 1` and a new
/// `lastTimestamp` through a merge patch. When that Event is gone (the API server keeps Events for an hour), a new one is created.
public final class EventRecorder: Sendable {
    private struct Key: Hashable {
        var namespace: String
        var job: String
        var uid: String?
        var reason: EventBody.Reason
        var message: String
    }

    private struct Written {
        var name: String
        var count: Int
        var serial: UInt64
    }

    private struct State {
        var written: [Key: Written] = [:]
        var serial: UInt64 = 0
    }

    private let api: any APITransport
    private let instance: String
    private let limit: Int
    private let state = Locked(State())

    /// Creates a recorder.
    /// - Parameters:
    ///   - api: Where Events go.
    ///   - instance: The Events' `reportingInstance` (the pod name).
    ///   - limit: How many distinct Events are remembered (client-go keeps 4096); the oldest is forgotten first.
    public init(api: any APITransport, instance: String, limit: Int = 4096) {
        self.api = api
        self.instance = instance
        self.limit = limit
    }

    /// Writes one Event on `job`, or counts a repeat of the same Event; returns the API server's answer.
    /// - Throws: when no answer came.
    public func record(_ job: Job, _ reason: EventBody.Reason, _ message: String) async throws -> APIResponse {
        let key = Key(namespace: job.metadata.namespace, job: job.metadata.name, uid: job.metadata.uid, reason: reason, message: message)
        let now = Timestamp.now()
        if let repeated = state.withLock({ state -> Written? in
            guard var written = state.written[key] else { return nil }
            written.count += 1
            state.serial += 1
            written.serial = state.serial
            state.written[key] = written
            return written
        }) {
            let response = try await api.send(EventBody.repeatRequest(
                namespace: job.metadata.namespace, name: repeated.name, count: repeated.count, message: message, now: now))
            guard response.status == 404 else { return counted(response, reason) }
        }
        let unique = Self.nanoseconds()
        let response = try await api.send(EventBody.request(job: job, reason: reason, message: message, now: now, unique: unique, instance: instance))
        if response.isSuccess { remember(key, name: EventBody.name(of: job, unique: unique)) }
        return counted(response, reason)
    }

    /// Counts a written Event in `triggergate_events_total{reason}`.
    private func counted(_ response: APIResponse, _ reason: EventBody.Reason) -> APIResponse {
        if response.isSuccess { Counter(label: "triggergate_events_total", dimensions: [("reason", reason.rawValue)]).increment() }
        return response
    }

    private func remember(_ key: Key, name: String) {
        state.withLock { state in
            state.serial += 1
            state.written[key] = Written(name: name, count: 1, serial: state.serial)
            if state.written.count > limit, let oldest = state.written.min(by: { $0.value.serial < $1.value.serial })?.key {
                state.written[oldest] = nil
            }
        }
    }

    /// The wall clock in nanoseconds, which makes Event names unique as client-go's are.
    private static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
