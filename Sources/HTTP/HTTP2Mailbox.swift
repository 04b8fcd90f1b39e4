import Locking

/// The events of one HTTP/2 connection's main loop, taken in batches: whatever arrived while the loop was busy is
/// handled together, so that the responses finished meanwhile leave in one TLS write instead of one each.
final class HTTP2Mailbox: Sendable {
    private struct State: ~Copyable {
        var events: [HTTP2Event] = []
        var waiter: CheckedContinuation<Void, Never>?
        var finished = false
    }

    private let state = Locked(State())

    /// Queues `event` for the loop; `false` when the mailbox is finished and the event was not taken.
    ///
    /// The event stays in the locked queue and the waiting loop is only woken: it takes the events under the lock, so
    /// that what they carry is handed over by the lock (which ThreadSanitizer sees) and not by the continuation.
    @discardableResult
    func post(_ event: HTTP2Event) -> Bool {
        let (taken, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !state.finished else { return (false, nil) }
            state.events.append(event)
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume()
        return taken
    }

    /// Every event posted since the last call, in order, waiting for at least one; empty once the mailbox is finished
    /// or the task is cancelled.
    func take() async -> [HTTP2Event] {
        await withTaskCancellationHandler {
            while true {
                if let ready = queued() { return ready }
                await withCheckedContinuation { continuation in
                    let waits = state.withLock { state in
                        guard state.events.isEmpty, !state.finished else { return false }
                        state.waiter = continuation
                        return true
                    }
                    if !waits { continuation.resume() }
                }
            }
        } onCancel: {
            _ = finish()
        }
    }

    /// The queued events, `[]` when there are none and the mailbox is finished, `nil` when there are none yet.
    private func queued() -> [HTTP2Event]? {
        state.withLock { state in
            guard state.events.isEmpty else {
                defer { state.events = [] }
                return state.events
            }
            return state.finished ? [] : nil
        }
    }

    /// Takes no more events; returns those still queued, so that the caller can release what they hold.
    func finish() -> [HTTP2Event] {
        let (waiter, left) = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil; state.events = [] }
            return (state.waiter, state.events)
        }
        waiter?.resume()
        return left
    }
}
