import Glibc
import Synchronization

/// A non-blocking socket driven by the ``EventLoop``: async read, write and accept with deadlines.
///
/// ``close()`` shuts the socket down and wakes every waiter; the descriptor itself is closed when the last
/// reference goes, so that a task still inside a call never touches a reused descriptor number.
public final class AsyncSocket: ByteStream {
    /// The underlying descriptor.
    public let socket: Socket
    /// The loop that watches the descriptor; a task that serves this socket runs best on it (see ``EventLoop``).
    public let loop: EventLoop
    private let closed = Atomic<Bool>(false)

    /// Takes ownership of a non-blocking `socket` and registers it with `loop`.
    public init(_ socket: Socket, loop: EventLoop = .shared) throws {
        self.socket = socket
        self.loop = loop
        do {
            try loop.register(socket)
        } catch {
            socket.close()
            throw error
        }
    }

    deinit {
        if !closed.load(ordering: .acquiring) { loop.deregister(socket) }
        socket.close()
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    public func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8] {
        while true {
            guard !isClosed else { return [] }
            let mark = loop.mark(socket, .read)
            if case .done(let bytes) = try socket.read(maxCount: maxCount) { return bytes }
            try await loop.wait(for: socket, .read, since: mark, deadline: deadline)
        }
    }

    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) async throws {
        var offset = 0
        while offset < bytes.count {
            guard !isClosed else { throw SocketError(.closed, call: "write") }
            let mark = loop.mark(socket, .write)
            if case .done(let count) = try socket.write(bytes[offset...]) {
                offset += count
            } else {
                try await loop.wait(for: socket, .write, since: mark, deadline: deadline)
            }
        }
    }

    /// Waits until the socket is ready in `direction`, or throws at `deadline`; for layers that make their own calls (TLS).
    public func waitUntilReady(_ direction: IODirection, since mark: UInt64, deadline: ContinuousClock.Instant?) async throws {
        try await loop.wait(for: socket, direction, since: mark, deadline: deadline)
    }

    /// The readiness count to pass to ``waitUntilReady(_:since:deadline:)``; take it before the call that may block.
    public func readinessMark(_ direction: IODirection) -> UInt64 {
        loop.mark(socket, direction)
    }

    /// The readiness counts of both directions, taken together; see ``readinessMark(_:)``.
    public func readinessMarks() -> (read: UInt64, write: UInt64) {
        loop.marks(socket)
    }

    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        socket.shutdown()
        loop.deregister(socket)
    }
}
