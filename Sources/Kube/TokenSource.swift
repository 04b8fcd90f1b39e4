import Locking

/// Where the bearer token comes from: a fixed string, or a file that is read again when it may have rotated
/// (projected service-account tokens are replaced about every hour).
public final class TokenSource: Sendable {
    private enum Origin {
        case fixed(String)
        case file(String)
    }

    private let origin: Origin
    /// How long a token read from a file is used before the file is read again.
    public let refreshInterval: Duration
    private let cache: Locked<(token: String, readAt: ContinuousClock.Instant)?>

    /// A fixed token (kubeconfig `token`).
    public init(token: String) {
        origin = .fixed(token)
        refreshInterval = .zero
        cache = Locked(nil)
    }

    /// A token file (kubeconfig `tokenFile`, or the service account's token), read again after `refreshInterval`
    /// and whenever the server answers 401.
    public init(file: String, refreshInterval: Duration = .seconds(60)) {
        origin = .file(file)
        self.refreshInterval = refreshInterval
        cache = Locked(nil)
    }

    /// Whether the token comes from a file (so a 401 is worth a fresh read).
    public var isFile: Bool { if case .file = origin { true } else { false } }

    /// The current token.
    ///
    /// - Parameter reload: Read the file now, even if the cached token is fresh (after a 401).
    public func token(reload: Bool = false) throws(KubeConfigError) -> String {
        switch origin {
        case .fixed(let token):
            return token
        case .file(let path):
            let now = ContinuousClock.now
            if !reload, let cached = cache.withLock({ $0 }), now - cached.readAt < refreshInterval { return cached.token }
            let token = String(decoding: try FileReading.read(path, what: "the token file"), as: UTF8.self).trimmingSpaces
            guard !token.isEmpty else { throw KubeConfigError("the token file \(path) is empty") }
            cache.withLock { $0 = (token, now) }
            return token
        }
    }
}
