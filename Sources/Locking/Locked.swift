import Glibc

/// A value that threads share, guarded by a POSIX mutex: `withLock` runs a closure with the value while holding it.
///
/// It takes the place of `Synchronization.Mutex` because ThreadSanitizer sees `pthread_mutex_lock` and not the futex
/// that `Mutex` waits on: under `-sanitize=thread` every access inside `Mutex.withLock` looks unordered, so the
/// suite could not run past its first false report (docs/reliability.md, Sanitizers). The mutex is never held
/// across a suspension point: the closure is synchronous.
///
/// Keep in it the value it guards, never an empty one: ThreadSanitizer gives the access to a zero-size value the
/// object's own address, so `Locked(())` is reported as a race with every read of the object's header.
public final class Locked<Value: ~Copyable>: @unchecked Sendable {
    /// The mutex lives in its own allocation, so that its address never moves (a `pthread_mutex_t` must not be copied).
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// A lock around `value`.
    public init(_ value: consuming Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock, and returns what it returns.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
