import HTTP
import Sockets
import Synchronization

/// The grace period ran out with connections still open.
struct GraceExpired: Error {
    /// How many were open at that moment (the group then cancels them, and each one's count goes as it ends).
    var open: Int
}

/// How many connections are open, shared by the accept loop and the connection tasks.
final class OpenConnections: Sendable {
    let count = Atomic<Int>(0)
}

/// Accepts connections on every listener until they close, each listener on its own loop (see
/// ``AsyncSocket/listen(on:loops:backlog:)``), and serves each connection in a child task on that loop.
///
/// Past `limit`, new connections are closed as soon as they are accepted (see ``ConnectionLimit``).
///
/// When accepting ends, `drain` fires (HTTP/1.1 closes after the current response, HTTP/2 sends GOAWAY) and open
/// connections get `grace` to finish; then the rest are cancelled.
///
/// - Returns: How many connections were still open when the grace period ran out (0 when all finished).
func acceptConnections(
    on listeners: [AsyncSocket], limit: ConnectionLimit, drain: DrainSignal, grace: Duration,
    serve: @escaping @Sendable (AsyncSocket) async -> Void
) async -> Int {
    await withTaskGroup(of: Int.self) { group in
        for listener in listeners {
            group.addTask(executorPreference: listener.loop) {
                await acceptConnections(on: listener, limit: limit, drain: drain, grace: grace, serve: serve)
            }
        }
        return await group.reduce(0, +)
    }
}

/// Accepts connections until `listener` closes, serving each in a child task of a discarding task group; then drains
/// as above. Runs on the listener's loop, and the child tasks inherit it, so that a connection is accepted, watched and
/// served on one thread.
private func acceptConnections(
    on listener: AsyncSocket, limit: ConnectionLimit, drain: DrainSignal, grace: Duration,
    serve: @escaping @Sendable (AsyncSocket) async -> Void
) async -> Int {
    let open = OpenConnections()
    do {
        try await withThrowingDiscardingTaskGroup { group in
            while let socket = try? await listener.accept(on: listener.loop) {
                guard limit.admit() else {
                    socket.close()
                    // A flood of connections at the limit must not keep the loop from the connections it serves.
                    await Task.yield()
                    continue
                }
                open.count.add(1, ordering: .relaxed)
                group.addTask {
                    await serve(socket)
                    open.count.subtract(1, ordering: .relaxed)
                    limit.release()
                }
            }
            drain.drain()
            group.addTask {
                let deadline = ContinuousClock.now + grace
                while open.count.load(ordering: .relaxed) > 0 {
                    guard ContinuousClock.now < deadline else {
                        throw GraceExpired(open: open.count.load(ordering: .relaxed))
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
        return 0
    } catch let expired as GraceExpired {
        return expired.open
    } catch {
        return open.count.load(ordering: .relaxed)
    }
}
