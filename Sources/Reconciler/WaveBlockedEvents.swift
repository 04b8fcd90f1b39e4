public import Admission
public import Logging
public import ServiceLifecycle
import Locking

/// Turns the wave gate's refusals into `WaveBlocked` Events on the blocking jobs (SPEC §7), at most one per job and
/// wave per ``interval``. ``blocked(_:)`` only queues (a bounded buffer that drops the oldest), so admission never
/// waits for the API server; ``run()`` writes the queued Events through an ``EventRecorder``, which counts repeats.
public final class WaveBlockedEvents: Service {
    /// One Event to write.
    private struct Pending: Sendable {
        var job: Job
        var message: String
    }

    private let recorder: EventRecorder
    private let interval: Duration
    private let logger: Logger
    private let lastWritten = Locked<[String: ContinuousClock.Instant]>([:])
    private let queue: AsyncStream<Pending>
    private let enqueue: AsyncStream<Pending>.Continuation

    /// Creates the writer.
    /// - Parameters:
    ///   - api: Where Events go.
    ///   - instance: The Events' `reportingInstance`.
    ///   - interval: The least time between two Events for one job and wave.
    ///   - logger: Where a failed write is logged.
    public init(api: any APITransport, instance: String, interval: Duration = .seconds(60), logger: Logger) {
        recorder = EventRecorder(api: api, instance: instance)
        self.interval = interval
        self.logger = logger
        (queue, enqueue) = AsyncStream.makeStream(of: Pending.self, bufferingPolicy: .bufferingNewest(256))
    }

    /// Queues the Events of one refusal; returns at once.
    public func blocked(_ block: GateBlock) {
        let now = ContinuousClock.now
        for job in block.jobs where claim("\(job.namespace)/\(job.name)@\(block.wave)", now: now) {
            let phase = job.phase.isEmpty ? "has no phase yet" : "is in phase \(job.phase)"
            enqueue.yield(Pending(
                job: Job(metadata: .init(name: job.name, namespace: job.namespace), status: nil),
                message: "wave \(block.wave) is blocked for \(block.object): NotebookValidationJob \(job.namespace)/\(job.name) \(phase); it opens when that job succeeds"))
        }
    }

    /// Whether an Event for `key` may be written now (none in the last ``interval``), and if so records it.
    private func claim(_ key: String, now: ContinuousClock.Instant) -> Bool {
        lastWritten.withLock { last in
            if let previous = last[key], now - previous < interval { return false }
            if last.count >= 4096 { last = last.filter { now - $0.value < interval } }
            last[key] = now
            return true
        }
    }

    /// Writes queued Events until graceful shutdown or cancellation.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await pending in self.queue {
                do {
                    let response = try await self.recorder.record(pending.job, .WaveBlocked, pending.message)
                    if !response.isSuccess {
                        self.logger.warning("cannot write Event", metadata: ["job": "\(pending.job.key)", "error": "\(APIStatus.summary(of: response))"])
                    }
                } catch {
                    self.logger.warning("cannot write Event", metadata: ["job": "\(pending.job.key)", "error": "\(error)"])
                }
            }
        }
    }
}
