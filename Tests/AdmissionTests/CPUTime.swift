import Glibc

/// The CPU time the current thread spends running `work`: unlike wall-clock time, it does not grow when a loaded
/// machine preempts the test, so a bound on it stays meaningful.
func threadCPUTime(_ work: () throws -> Void) rethrows -> Duration {
    func now() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }
    let start = now()
    try work()
    return now() - start
}
