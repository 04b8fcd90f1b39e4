import Glibc

/// The closure a new thread runs; the thread owns the box and releases it when it starts.
private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// The entry point of every dedicated thread: takes ownership of the box and runs its closure.
private func threadMain(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let argument else { return nil }
    Unmanaged<ThreadBody>.fromOpaque(argument).takeRetainedValue().body()
    return nil
}

/// Runs `body` on a new detached thread, so that a blocking call never holds a thread of the cooperative pool.
///
public func startDedicatedThread(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    guard pthread_create(&thread, nil, threadMain, box) == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(box).release()
        fatalError("pthread_create failed: \(String(cString: strerror(errno)))")
    }
    pthread_detach(thread)
}

/// Runs a blocking call on a dedicated thread and returns its result without blocking the caller's thread.
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withUnsafeContinuation { continuation in
        startDedicatedThread { continuation.resume(returning: body()) }
    }
}
