import Locking
import Synchronization

/// Tells connections to finish.
///
/// HTTP/1.1 answers the request in progress with `Connection: close` and closes (idle connections close at once, new
/// ones after their first request);
/// HTTP/2 sends GOAWAY, finishes the open streams, then closes. One signal usually serves every connection of a server.
public final class DrainSignal: Sendable {
    private let draining = Atomic<Bool>(false)
    private let observers = Locked<(next: Int, actions: [Int: @Sendable () -> Void])>((0, [:]))

    /// Creates a signal that has not fired.
    public init() {}

    /// Fires the signal. Every connection watching it starts to finish; firing twice is harmless.
    public func drain() {
        guard !draining.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let actions = observers.withLock { state in
            defer { state.actions = [:] }
            return Array(state.actions.values)
        }
        for action in actions { action() }
    }

    /// Whether ``drain()`` was called.
    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// Runs `action` once when the signal fires (at once if it already has), until `cancel` is called with the result.
    func observe(_ action: @escaping @Sendable () -> Void) -> Int? {
        let id: Int? = observers.withLock { state in
            guard !isDraining else { return nil }
            state.next += 1
            state.actions[state.next] = action
            return state.next
        }
        if id == nil { action() }
        return id
    }

    /// Stops watching for the observer `id` returned by ``observe(_:)``.
    func cancel(_ id: Int?) {
        guard let id else { return }
        _ = observers.withLock { $0.actions.removeValue(forKey: id) }
    }
}
