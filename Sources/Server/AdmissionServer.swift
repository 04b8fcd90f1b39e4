import Admission
import HTTP
public import Logging
public import ServiceLifecycle
import Sockets
public import TLS

/// The HTTPS admission server as a service: TLS with ALPN, then HTTP/1.1 or HTTP/2, routed to the admission rules.
///
/// On graceful shutdown (SPEC §6): `/readyz` fails at once; accepting goes on for the shutdown delay; the listeners
/// close; connections drain (HTTP/2 gets GOAWAY) within the grace period; then `run()` returns.
public final class AdmissionServer: Service {
    private let configuration: AdmissionServerConfiguration
    private let certificates: CertificateReloader
    private let readiness: Readiness
    private let logger: Logger
    private let metrics = ServerMetrics()
    private let router: AdmissionRouter

    /// Creates the server; nothing listens until ``run()``.
    ///
    /// - Parameters:
    ///   - configuration: Address, limits and shutdown timings.
    ///   - certificates: The serving certificate, reloaded when its files change.
    ///   - readiness: Shared with the health server's `/readyz`.
    ///   - logger: Where to log.
    public init(configuration: AdmissionServerConfiguration, certificates: CertificateReloader, readiness: Readiness, logger: Logger) {
        self.configuration = configuration
        self.certificates = certificates
        self.readiness = readiness
        self.logger = logger
        router = AdmissionRouter(
            reviewer: AdmissionReviewer(policy: configuration.policy, cluster: configuration.cluster) { [metrics] in metrics.recordGate($0) },
            limiter: InFlightLimiter(limit: configuration.maxInFlight), metrics: metrics)
    }

    /// Listens and serves until graceful shutdown completes.
    public func run() async throws {
        let listeners = try await AsyncSocket.listen(on: configuration.listen, loops: EventLoopGroup.shared.loops)
        let drain = DrainSignal()
        readiness.setCertificateLoaded()
        readiness.setListening(true)
        metrics.certificateExpiry.record(certificates.current.certificate.notAfter)
        logger.info("serving admission over HTTPS", metadata: [
            "address": "\(configuration.listen)", "port": "\(listeners[0].localPort)", "eventLoops": "\(listeners.count)",
            "serial": "\(certificates.current.certificate.serial)",
        ])
        await withDiscardingTaskGroup { group in
            group.addTask { [certificates, metrics, configuration] in
                await certificates.run(every: configuration.certificateCheckInterval) { context in
                    metrics.certificateExpiry.record(context.certificate.notAfter)
                }
            }
            group.addTask { [self] in await stopAcceptingOnShutdown(listeners) }
            let abandoned = await acceptConnections(
                on: listeners, limit: connectionLimit(), drain: drain, grace: configuration.shutdownGrace
            ) { [self] socket in
                await serve(socket, drain: drain)
            }
            readiness.setListening(false)
            if abandoned > 0 { logger.warning("shutdown grace ran out; closed connections still in flight", metadata: ["connections": "\(abandoned)"]) }
            group.cancelAll()
        }
        logger.info("admission server stopped")
    }

    /// `--max-connections` for every listener, with its gauge, its counter and a warning each time it is reached.
    private func connectionLimit() -> ConnectionLimit {
        ConnectionLimit(maximum: configuration.maxConnections) { [metrics] open in
            metrics.openConnections.record(open)
        } refused: { [metrics, logger, configuration] first in
            metrics.refusedConnections.increment()
            if first {
                logger.warning("connection limit reached: new connections are closed until open ones end", metadata: [
                    "maxConnections": "\(configuration.maxConnections)",
                ])
            }
        }
    }

    /// Waits for graceful shutdown, fails readiness, keeps accepting for the delay, then closes the listeners.
    private func stopAcceptingOnShutdown(_ listeners: [AsyncSocket]) async {
        do {
            try await gracefulShutdown()
        } catch {
            return
        }
        readiness.beginShutdown()
        logger.info("shutting down: /readyz now fails; still accepting for the shutdown delay", metadata: [
            "delay": "\(configuration.shutdownDelay)", "grace": "\(configuration.shutdownGrace)",
        ])
        try? await Task.sleep(for: configuration.shutdownDelay)
        logger.info("shutting down: no longer accepting; draining connections")
        for listener in listeners { listener.close() }
    }

    /// One connection: the TLS handshake within its timeout, then HTTP/2 when ALPN chose `h2`, else HTTP/1.1.
    private func serve(_ socket: AsyncSocket, drain: DrainSignal) async {
        let connection: TLSConnection
        do {
            connection = try await TLSConnection.accept(
                socket, context: certificates.current, deadline: .now + configuration.handshakeTimeout)
        } catch {
            metrics.handshakeFailures.increment()
            logger.debug("TLS handshake failed", metadata: ["error": "\(error)"])
            socket.close()
            return
        }
        metrics.handshakes.increment()
        let handler: HTTPHandler = { [router] request in await router.handle(request) }
        if connection.negotiatedProtocol == "h2" {
            await serveHTTP2(stream: connection, limits: configuration.limits, drain: drain, handler: handler)
        } else {
            await serveHTTP1(stream: connection, limits: configuration.limits, drain: drain, handler: handler)
        }
    }
}
