import CLinux
import Glibc

extension AsyncSocket {
    /// Accepts the next connection, waiting as long as needed; throws ``SocketError`` (`.closed`) once the listener is closed.
    ///
    /// Accepted sockets are non-blocking, close-on-exec and have `TCP_NODELAY` set (inherited from the listener, which
    /// ``listen(on:loops:backlog:)`` makes with it, so that no connection costs a `setsockopt` of its own).
    ///
    /// - Parameter loop: The loop that watches the accepted socket.
    public func accept(on loop: EventLoop = .shared) async throws -> AsyncSocket {
        while true {
            guard !isClosed else { throw SocketError(.closed, call: "accept") }
            let mark = readinessMark(.read)
            let result: SyscallResult<Int32>
            do {
                result = try Socket.syscall("accept") { tg_accept_nonblocking(socket.fd) }
            } catch let error as SocketError where Self.isTransientAcceptError(error) {
                try await Task.sleep(for: .milliseconds(10))
                continue
            }
            if case .done(let fd) = result {
                return try AsyncSocket(Socket(fd: fd), loop: loop)
            }
            try await waitUntilReady(.read, since: mark, deadline: nil)
        }
    }

    /// Errors after which accepting goes on: the connection died in the queue, or descriptors ran short for a moment.
    private static func isTransientAcceptError(_ error: SocketError) -> Bool {
        guard case .system(let code) = error.kind else { return false }
        return [ECONNABORTED, EPROTO, EPERM, EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(code)
    }
}
