import CLinux
import Glibc
import Locking

/// The closure a new thread runs, and the thread's name; the thread owns the box and releases it when it starts.
private final class ThreadBody {
    let name: String?
    let body: @Sendable () -> Void
    init(name: String?, _ body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}

/// The entry point of every dedicated thread: takes ownership of the box, names the thread and runs its closure.
private func threadMain(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let argument else { return nil }
    let box = Unmanaged<ThreadBody>.fromOpaque(argument).takeRetainedValue()
    if let name = box.name { _ = pthread_setname_np(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self)) }
    box.body()
    return nil
}

/// Runs `body` on a new detached thread, so that a blocking call never holds a thread of the cooperative pool.
///
/// - Parameter name: What `top -H` and `/proc/PID/task/*/comm` show for the thread (at most 15 bytes are kept).
public func startDedicatedThread(name: String? = nil, _ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(ThreadBody(name: name, body)).toOpaque()
    var thread = pthread_t()
    guard pthread_create(&thread, nil, threadMain, box) == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(box).release()
        fatalError("pthread_create failed: \(String(cString: strerror(errno)))")
    }
    pthread_detach(thread)
}

/// Runs a blocking call on a dedicated thread and returns its result without blocking the caller's thread.
///
/// The result comes back through a lock, and the continuation only wakes the caller: a continuation may be resumed
/// before its task has suspended, and the concurrency runtime then hands over through atomics ThreadSanitizer does not
/// see, so what the thread wrote would look unordered with what the caller reads.
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    let result = Locked<T?>(nil)
    await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
        startDedicatedThread {
            let value = body()
            result.withLock { $0 = value }
            continuation.resume()
        }
    }
    return result.withLock { $0! }
}
