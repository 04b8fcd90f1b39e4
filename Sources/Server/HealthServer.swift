import HTTP
public import Logging
public import ServiceLifecycle
public import Sockets

/// The plain-HTTP health server as a service: `/healthz`, `/readyz` and `/metrics` over HTTP/1.1.
///
/// It keeps serving while the admission server shuts down, so that `/readyz` can report it; it stops on its own
/// graceful shutdown, which the service group sends after the admission server has finished.
public final class HealthServer: Service {
    private let address: HostPort
    private let router: HealthRouter
    private let logger: Logger
    /// Probes and scrapes need a few connections; a flood of them must not take the descriptors admission needs.
    public static let maxConnections = 256

    /// Creates the server; nothing listens until ``run()``.
    ///
    /// - Parameters:
    ///   - address: Where to listen (`--health-listen`, default `:8081`).
    ///   - readiness: What `/readyz` reports.
    ///   - metricsText: Renders the Prometheus text exposition for `/metrics`.
    ///   - logger: Where to log.
    public init(address: HostPort, readiness: Readiness, metricsText: @escaping @Sendable () -> [UInt8], logger: Logger) {
        self.address = address
        router = HealthRouter(readiness: readiness, metricsText: metricsText)
        self.logger = logger
    }

    /// Listens and serves until graceful shutdown.
    public func run() async throws {
        let listener = try await AsyncSocket.listen(on: address)
        logger.info("serving health and metrics over HTTP", metadata: ["address": "\(address)", "port": "\(listener.localPort)"])
        let drain = DrainSignal()
        let limits = HTTPServerLimits()
        let limit = ConnectionLimit(maximum: Self.maxConnections)
        await withDiscardingTaskGroup { group in
            group.addTask {
                try? await gracefulShutdown()
                listener.close()
            }
            _ = await acceptConnections(on: [listener], limit: limit, drain: drain, grace: .seconds(1)) { [router] socket in
                await serveHTTP1(stream: socket, limits: limits, drain: drain) { request in await router.handle(request) }
            }
            group.cancelAll()
        }
    }
}
