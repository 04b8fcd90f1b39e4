public import Sockets

/// The default ``KubeConnector``: a TCP connection from the Sockets module (names resolved off the cooperative pool).
public struct TransportConnector: KubeConnector {
    /// Creates the connector.
    public init() {}

    public func connect(_ config: KubeConfig, deadline: ContinuousClock.Instant) async throws -> any ByteStream {
        guard !config.usesTLS else {
            throw KubeError(kind: .transport, request: "connect \(config.serverURL)",
                            detail: "https is not available in this build yet; use an http:// server")
        }
        return try await AsyncSocket.connect(host: config.host, port: config.port, deadline: deadline)
    }
}
