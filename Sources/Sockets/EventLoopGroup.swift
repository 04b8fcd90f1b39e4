import Synchronization

/// The process's event loops: one per processor the process may use, each with its own thread and epoll instance.
///
/// A server spreads its connections over the loops with ``next()``, registers each socket with its loop and runs the
/// connection's task on it, so that every processor serves connections and no readiness crosses threads.
public final class EventLoopGroup: Sendable {
    /// The loops every socket in the process uses; started on first use, one per usable processor.
    public static let shared: EventLoopGroup = {
        do {
            return try EventLoopGroup(count: usableProcessorCount())
        } catch {
            fatalError("cannot start the socket event loops: \(error)")
        }
    }()

    /// The loops, at least one.
    public let loops: [EventLoop]
    private let turn = Atomic<Int>(0)

    private init(count: Int) throws {
        loops = try (0..<max(1, count)).map { _ in try EventLoop() }
    }

    /// The loop for the next connection, in turn.
    public func next() -> EventLoop {
        loops[turn.add(1, ordering: .relaxed).oldValue % loops.count]
    }
}
