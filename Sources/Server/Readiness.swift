import Synchronization

/// What `/readyz` reports: serving admission means the listener is up, a certificate is loaded, and no shutdown has begun.
public final class Readiness: Sendable {
    private let listening = Atomic<Bool>(false)
    private let certificateLoaded = Atomic<Bool>(false)
    private let shuttingDown = Atomic<Bool>(false)

    /// Creates a state that is not ready.
    public init() {}

    /// Records whether the admission listener accepts connections.
    public func setListening(_ value: Bool) { listening.store(value, ordering: .releasing) }
    /// Records that a serving certificate is loaded.
    public func setCertificateLoaded() { certificateLoaded.store(true, ordering: .releasing) }
    /// Records that shutdown has begun; readiness never comes back.
    public func beginShutdown() { shuttingDown.store(true, ordering: .releasing) }

    /// Why the server is not ready, or `nil` when it is.
    public var notReadyReason: String? {
        if shuttingDown.load(ordering: .acquiring) { return "shutting down" }
        if !listening.load(ordering: .acquiring) { return "the admission listener is not up" }
        if !certificateLoaded.load(ordering: .acquiring) { return "no serving certificate is loaded" }
        return nil
    }
}
