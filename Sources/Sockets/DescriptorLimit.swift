import Glibc

/// Raises the soft limit on open descriptors (`RLIMIT_NOFILE`) to `wanted`, or as near as the hard limit allows, as Go
/// programs do at start: container runtimes often set a soft limit of 1,024 under a much higher hard one.
///
/// - Parameter wanted: How many descriptors the process means to hold at most.
/// - Returns: The soft limit in force afterwards (unchanged when it was already `wanted` or more, or could not be raised).
public func raiseDescriptorLimit(to wanted: Int) -> Int {
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    var limit = rlimit()
    guard getrlimit(resource, &limit) == 0 else { return wanted }
    let current = Int(clamping: limit.rlim_cur)
    guard current < wanted else { return current }
    let hard = Int(clamping: limit.rlim_max)  // RLIM_INFINITY is the largest value
    limit.rlim_cur = rlim_t(min(wanted, hard))
    guard setrlimit(resource, &limit) == 0 else { return current }
    return Int(limit.rlim_cur)
}
