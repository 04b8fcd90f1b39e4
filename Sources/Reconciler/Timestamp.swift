import Kube

/// An RFC 3339 instant in whole seconds, as Kubernetes writes `creationTimestamp` and `status.completionTime`
/// (formatted and parsed by ``KubeTime``).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64

    /// Creates an instant from seconds since the epoch.
    public init(seconds: Int64) {
        self.seconds = seconds
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; the fraction is dropped. Returns `nil` for anything else.
    public init?(rfc3339 text: String) {
        guard let seconds = KubeTime.parse(text) else { return nil }
        self.seconds = seconds
    }

    /// The current time, truncated to the second.
    public static func now() -> Timestamp { Timestamp(seconds: KubeTime.now().seconds) }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String { KubeTime.rfc3339(seconds) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }
}
