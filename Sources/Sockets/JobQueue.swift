/// The jobs waiting to run on an ``EventLoop``'s thread, and whether that thread sleeps in `epoll_wait`.
///
/// Used under the loop's lock. Whoever adds work while the thread sleeps wakes it, once: `sleeping` goes back to
/// `false` at the first wake-up, so that later additions before the thread runs again cost no system call.
struct JobQueue {
    var pending: [UnownedJob] = []
    var sleeping = false

    /// Adds a job; returns whether the caller must wake the thread.
    mutating func add(_ job: UnownedJob) -> Bool {
        pending.append(job)
        return takeSleeper()
    }

    /// Returns whether the thread sleeps, and counts it as woken.
    mutating func takeSleeper() -> Bool {
        defer { sleeping = false }
        return sleeping
    }

    /// Marks the thread asleep if nothing is pending; returns whether it may sleep.
    mutating func sleepIfIdle() -> Bool {
        sleeping = pending.isEmpty
        return sleeping
    }
}
