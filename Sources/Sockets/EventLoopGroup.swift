/// The process's event loops: one per processor the process may use, each with its own thread and epoll instance.
///
/// A server listens once per loop on the same port (``AsyncSocket/listen(on:loops:backlog:)``), and each loop accepts,
/// watches and serves its own connections, so that every processor serves connections and no connection crosses threads.
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

    private init(count: Int) throws {
        loops = try (0..<max(1, count)).map { try EventLoop(name: "tg-event-loop-\($0)") }
    }
}
