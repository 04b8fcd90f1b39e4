import Locking

/// The events of one HTTP/2 connection's main loop, taken in batches: whatever arrived while the loop was busy is
/// handled together, so that the responses finished meanwhile leave in one TLS write instead of one each.
final class HTTP2Mailbox: Sendable {
    private struct State: ~Copyable {
        var events: [HTTP2Event] = []
        var waiter: CheckedContinuation<[HTTP2Event], Never>?
        var finished = false
    }

    private let state = Locked(State())

    /// Queues `event` for the loop; `false` when the mailbox is finished and the event was not taken.
    @discardableResult
    func post(_ event: HTTP2Event) -> Bool {
        let waiter: CheckedContinuation<[HTTP2Event], Never>?? = state.withLock { state in
            guard !state.finished else { return nil }
            guard let waiter = state.waiter else {
                state.events.append(event)
                return .some(nil)
            }
            state.waiter = nil
            return waiter
        }
        guard let waiter else { return false }
        waiter?.resume(returning: [event])
        return true
    }

    /// Every event posted since the last call, in order, waiting for at least one; empty once the mailbox is finished
    /// or the task is cancelled.
    func take() async -> [HTTP2Event] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: [HTTP2Event]? = state.withLock { state in
                    guard state.events.isEmpty, !state.finished else {
                        defer { state.events = [] }
                        return state.events
                    }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            _ = finish()
        }
    }

    /// Takes no more events; returns those still queued, so that the caller can release what they hold.
    func finish() -> [HTTP2Event] {
        let (waiter, left) = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil; state.events = [] }
            return (state.waiter, state.events)
        }
        waiter?.resume(returning: [])
        return left
    }
}
