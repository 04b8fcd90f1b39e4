import CLinux
import Glibc
import HeapModule
import Locking

/// Which readiness a waiter needs.
public enum IODirection: Sendable {
    /// Readable, or a connection to accept.
    case read
    /// Writable, or a connect that finished.
    case write
}

/// An epoll readiness loop on a dedicated thread, which is also a task executor.
///
/// Descriptors are registered once, edge-triggered. Each direction counts the readiness events it has seen; a task
/// notes the count before a system call and, when the call would block, waits until the count moves on. A deadline
/// resumes its waiter with ``SocketError`` (`.timedOut`); cancelling the waiting task resumes it with `CancellationError`.
///
/// As a `TaskExecutor`, the loop runs the jobs of tasks that prefer it (`addTask(executorPreference:)`) on its own
/// thread, between calls to `epoll_wait`. A connection task that prefers the loop its socket is registered with resumes
/// on the thread that saw the readiness, without a hand-off to another thread. Such tasks must not block.
/// An eventfd wakes the sleeping thread when a job arrives from elsewhere or a nearer deadline is set.
public final class EventLoop: TaskExecutor, Sendable {
    /// The loop for sockets that do not choose one: the first of ``EventLoopGroup/shared``.
    public static var shared: EventLoop { EventLoopGroup.shared.loops[0] }

    private let epoll: Int32
    private let wakeFD: Int32
    private let state = Locked(LoopState())
    private let jobs = Locked(JobQueue())

    /// Starts a loop and its thread, named `name`; the loop lives for the rest of the process.
    init(name: String = "tg-event-loop") throws {
        signal(SIGPIPE, SIG_IGN)
        epoll = try Socket.call("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        wakeFD = try Socket.call("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeFD
        _ = try Socket.call("epoll_ctl") { epoll_ctl(epoll, EPOLL_CTL_ADD, wakeFD, &event) }
        startDedicatedThread(name: name) { [self] in run() }
    }

    /// Starts watching `socket` for readiness; call once per descriptor, before waiting on it.
    public func register(_ socket: Socket) throws {
        state.withLock { $0.descriptors[socket.fd] = Descriptor() }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        event.data.fd = socket.fd
        _ = try Socket.call("epoll_ctl") { epoll_ctl(epoll, EPOLL_CTL_ADD, socket.fd, &event) }
    }

    /// Stops watching `socket` and wakes its waiters, which then see the descriptor's final state.
    public func deregister(_ socket: Socket) {
        var event = epoll_event()
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, socket.fd, &event)
        let waiters = state.withLock { $0.remove(fd: socket.fd) }
        for waiter in waiters { waiter.continuation.resume() }
    }

    /// The readiness events seen so far in `direction`; pass it to ``wait(for:_:since:deadline:)``.
    public func mark(_ socket: Socket, _ direction: IODirection) -> UInt64 {
        state.withLock { $0.descriptors[socket.fd]?.seen(direction) ?? 0 }
    }

    /// The readiness counts of both directions at once, for a call that may ask for either (a TLS handshake or read).
    public func marks(_ socket: Socket) -> (read: UInt64, write: UInt64) {
        state.withLock { state in
            guard let descriptor = state.descriptors[socket.fd] else { return (0, 0) }
            return (descriptor.readSeen, descriptor.writeSeen)
        }
    }

    /// Waits until `socket` becomes ready in `direction` after the count `mark`, or throws at `deadline` or on cancellation.
    ///
    /// Returns at once when readiness arrived since `mark` or the descriptor is not registered (it was closed).
    public func wait(for socket: Socket, _ direction: IODirection, since mark: UInt64, deadline: ContinuousClock.Instant?) async throws {
        let id = state.withLock { $0.nextID() }
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                let nearer = state.withLock { state in
                    state.add(Waiter(id: id, continuation: continuation), fd: socket.fd, direction, since: mark, deadline: deadline)
                }
                // An awake thread plans its timeout afresh before it sleeps again.
                if nearer && jobs.withLock({ $0.takeSleeper() }) { signalWake() }
            }
        } onCancel: {
            state.withLock { $0.cancel(id) }?.resume(throwing: CancellationError())
        }
    }

    /// Runs `job` on the loop's thread, after the jobs already queued.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if jobs.withLock({ $0.add(job) }) { signalWake() }
    }

    private func signalWake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    /// The loop thread, forever: runs the queued jobs, then waits for events (without sleeping when jobs are queued)
    /// or the nearest deadline, and resumes the waiters.
    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        var running: [UnownedJob] = []
        while true {
            jobs.withLock { swap(&running, &$0.pending) }
            for job in running { job.runSynchronously(on: asUnownedTaskExecutor()) }
            running.removeAll(keepingCapacity: true)
            // Marked asleep before the timeout is planned, so that a nearer deadline added after planning wakes the thread.
            let sleeps = jobs.withLock { $0.sleepIfIdle() }
            let timeout = state.withLock { $0.planTimeout(now: .now) }
            let count = epoll_wait(epoll, events, Int32(capacity), sleeps ? timeout : 0)
            if sleeps { jobs.withLock { $0.sleeping = false } }
            var ready: [UnsafeContinuation<Void, any Error>] = []
            var expired: [UnsafeContinuation<Void, any Error>] = []
            state.withLock { state in
                if count > 0 {
                    for index in 0..<Int(count) {
                        let event = events[index]
                        let fd = event.data.fd
                        if fd == wakeFD { continue }
                        let hangup = event.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
                        if hangup || event.events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 {
                            ready += state.signal(fd: fd, .read)
                        }
                        if hangup || event.events & EPOLLOUT.rawValue != 0 {
                            ready += state.signal(fd: fd, .write)
                        }
                    }
                }
                expired = state.expire(now: .now)
            }
            if count > 0 && (0..<Int(count)).contains(where: { events[$0].data.fd == wakeFD }) {
                var value: UInt64 = 0
                _ = Glibc.read(wakeFD, &value, 8)
            }
            for continuation in ready { continuation.resume() }
            for continuation in expired { continuation.resume(throwing: SocketError(.timedOut, call: "wait")) }
        }
    }
}
