public import Sockets
import Locking
import TLS

/// The default ``KubeConnector``: a TCP connection from the Sockets module (names resolved off the cooperative pool),
/// wrapped in TLS for `https` servers. The TLS client context (trusted CAs, client certificate) is built once and reused.
public final class TransportConnector: KubeConnector {
    /// The TLS material a context was built from, and the context.
    private let cached = Locked<(material: [[UInt8]?], insecure: Bool, context: TLSClientContext)?>(nil)

    /// Creates the connector.
    public init() {}

    public func connect(_ config: KubeConfig, deadline: ContinuousClock.Instant) async throws -> any ByteStream {
        let socket = try await AsyncSocket.connect(host: config.host, port: config.port, deadline: deadline)
        guard config.usesTLS else { return socket }
        do {
            return try await TLSConnection.connect(
                socket, context: try context(for: config), serverName: config.tlsServerName ?? config.host, deadline: deadline)
        } catch {
            socket.close()
            throw error
        }
    }

    /// The client context for `config`'s CA, client certificate and verification setting.
    private func context(for config: KubeConfig) throws -> TLSClientContext {
        let material = [config.caPEM, config.clientCertificatePEM, config.clientKeyPEM]
        if let cached = cached.withLock({ $0 }), cached.material == material, cached.insecure == config.insecureSkipTLSVerify {
            return cached.context
        }
        let context = try TLSClientContext(
            trustedCAPEM: config.caPEM, clientCertificatePEM: config.clientCertificatePEM, clientKeyPEM: config.clientKeyPEM,
            verifiesPeer: !config.insecureSkipTLSVerify)
        cached.withLock { $0 = (material, config.insecureSkipTLSVerify, context) }
        return context
    }
}
