import HTTP
import Locking

/// Idle HTTP/1.1 keep-alive connections to the API server, reused newest first.
final class ConnectionPool: Sendable {
    private let idle = Locked<[HTTP1ClientConnection]>([])
    /// The most idle connections kept; more are closed.
    let maxIdle: Int

    init(maxIdle: Int = 16) {
        self.maxIdle = maxIdle
    }

    /// An idle connection, if one is left.
    func take() -> HTTP1ClientConnection? {
        idle.withLock { $0.popLast() }
    }

    /// Returns a connection after use: kept when it can carry another request, closed otherwise.
    func giveBack(_ connection: HTTP1ClientConnection) {
        guard connection.isReusable else {
            connection.close()
            return
        }
        let kept = idle.withLock { connections in
            guard connections.count < maxIdle else { return false }
            connections.append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    /// Closes every idle connection.
    func closeAll() {
        for connection in idle.withLock({ connections in defer { connections = [] }; return connections }) {
            connection.close()
        }
    }
}
