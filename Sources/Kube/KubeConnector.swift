public import Sockets

/// Opens byte streams to the API server: TCP, then TLS when the configuration says `https`.
///
/// ``KubeClient`` uses ``TransportConnector`` by default; tests may pass their own.
public protocol KubeConnector: Sendable {
    /// Opens a new connection to `config`'s server, or throws by `deadline`.
    func connect(_ config: KubeConfig, deadline: ContinuousClock.Instant) async throws -> any ByteStream
}
