public import Admission
public import HTTP
public import Sockets

/// How the admission server listens, limits work and shuts down.
public struct AdmissionServerConfiguration: Sendable {
    /// Where admission is served over TLS (`--listen`, default `:8443`: every address, IPv4 and IPv6).
    public var listen: HostPort
    /// Codec limits and timeouts (SPEC §6).
    public var limits: HTTPServerLimits
    /// How long a client may take to finish the TLS handshake.
    public var handshakeTimeout: Duration
    /// The most admission requests worked on at once; more get 429 with `Retry-After: 1`.
    public var maxInFlight: Int
    /// The most connections open at once (`--max-connections`); past it, new connections are closed as soon as accepted.
    public var maxConnections: Int
    /// How long accepting goes on after shutdown begins, while `/readyz` already fails (`--shutdown-delay`).
    public var shutdownDelay: Duration
    /// How long requests in flight get to finish once accepting stopped (`--shutdown-grace`).
    public var shutdownGrace: Duration
    /// How often the certificate files are checked for changes.
    public var certificateCheckInterval: Duration
    /// Who may write the controller-owned annotations.
    public var policy: AdmissionPolicy
    /// What admission may read of the cluster, or `nil` without one.
    public var cluster: (any ClusterView)?

    /// Creates a configuration with the defaults of SPEC §6.
    /// - Parameters:
    ///   - policy: who may write the controller-owned annotations.
    ///   - cluster: what admission may read of the cluster, or `nil` without one.
    public init(policy: AdmissionPolicy, cluster: (any ClusterView)? = nil) {
        listen = HostPort(host: "", port: 8443)
        limits = HTTPServerLimits()
        handshakeTimeout = .seconds(10)
        maxInFlight = 256
        maxConnections = 10_000
        shutdownDelay = .seconds(5)
        shutdownGrace = .seconds(25)
        certificateCheckInterval = .seconds(10)
        self.policy = policy
        self.cluster = cluster
    }
}
