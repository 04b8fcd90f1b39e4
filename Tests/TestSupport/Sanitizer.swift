import Foundation

/// The sanitizer the suite runs under: `bash .ci/sanitize` sets `TRIGGERGATE_SANITIZER` to `address` or `thread`.
///
/// Tests that bound latency or memory multiply their bounds by ``slowdown``; everything else they check is unchanged.
public enum Sanitizer {
    /// `address`, `thread`, or `nil` in a normal build.
    public static let name = ProcessInfo.processInfo.environment["TRIGGERGATE_SANITIZER"]

    /// 1 in a normal build; 5 under a sanitizer (ThreadSanitizer's documentation gives 5 to 15 times the run time and
    /// 5 to 10 times the memory, AddressSanitizer's about 2 and 3).
    public static var slowdown: Double { name == nil ? 1 : 5 }
}
