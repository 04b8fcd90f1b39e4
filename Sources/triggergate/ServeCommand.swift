import Admission
import ArgumentParser
import HTTP
import Logging
import Metrics
import Prometheus
import Server
import ServiceLifecycle
import Sockets
import TLS

/// `triggergate serve`: the admission webhooks over HTTPS, health and metrics over HTTP, and the reconciler when a
/// cluster is configured.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the admission webhooks (HTTPS), health and metrics (HTTP), and run the trigger reconciler."
    )

    @Option(name: .long, help: "Where to serve admission over HTTPS: HOST:PORT, [IPv6]:PORT, or :PORT for every address.")
    var listen: String = ":8443"

    @Option(name: .customLong("health-listen"), help: "Where to serve /healthz, /readyz and /metrics over plain HTTP.")
    var healthListen: String = ":8081"

    @Option(name: .customLong("tls-cert-file"), help: "The serving certificate chain (PEM); reloaded when it changes.")
    var tlsCertFile: String?

    @Option(name: .customLong("tls-key-file"), help: "The serving certificate's private key (PEM); reloaded when it changes.")
    var tlsKeyFile: String?

    @Option(name: .customLong("client-ca-file"), help: "Require client certificates signed by these CAs (PEM).")
    var clientCAFile: String?

    @Option(name: .customLong("shutdown-delay"), help: "After SIGTERM, how long to keep accepting while /readyz fails.")
    var shutdownDelay: FlagDuration = FlagDuration(.seconds(5))

    @Option(name: .customLong("shutdown-grace"), help: "Then how long requests in flight get to finish.")
    var shutdownGrace: FlagDuration = FlagDuration(.seconds(25))

    @Option(name: .customLong("max-inflight"), help: "The most admission requests worked on at once; more get 429 with Retry-After.")
    var maxInFlight: Int = 256

    @Option(name: .customLong("max-connections"), help: "The most connections open at once on the admission port; more are closed as soon as accepted.")
    var maxConnections: Int = 10_000

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(name: .customLong("controller-username"), help: "triggergate's own identity (default: system:serviceaccount:<pod namespace>:triggergate).")
    var controllerUsername: String?

    @Option(name: .customLong("allowed-writer"), help: "Another identity that may write the controller-owned annotations (repeatable).")
    var allowedWriters: [String] = []

    @Option(name: .customLong("gate-exempt"), help: "An identity the wave gate never gates, exact or ending in * for a prefix (repeatable).")
    var gateExempt: [String] = []

    @Option(name: .customLong("header-read-timeout"), help: .hidden)
    var headerReadTimeout: FlagDuration = FlagDuration(.seconds(10))

    @Option(name: .customLong("handshake-timeout"), help: .hidden)
    var handshakeTimeout: FlagDuration = FlagDuration(.seconds(10))

    @Option(name: .customLong("certificate-check-interval"), help: .hidden)
    var certificateCheckInterval: FlagDuration = FlagDuration(.seconds(10))

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var reconciler: ReconcilerOptions

    func validate() throws {
        guard (tlsCertFile == nil) == (tlsKeyFile == nil) else {
            throw ValidationError("give both --tls-cert-file and --tls-key-file, or neither for a self-signed localhost certificate")
        }
        guard clientCAFile == nil || tlsCertFile != nil else {
            throw ValidationError("--client-ca-file needs --tls-cert-file and --tls-key-file")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level \(logLevel): want one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard maxInFlight >= 1 else { throw ValidationError("--max-inflight must be at least 1") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        _ = try parseAddress(listen, flag: "--listen")
        _ = try parseAddress(healthListen, flag: "--health-listen")
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(CatalogMetricsFactory(
            registry: registry, durationBuckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500].map { .milliseconds($0) }))
        let logger = Logger(label: "triggergate")
        logger.info("starting triggergate serve", metadata: ["version": "\(BuildInfo.version)", "commit": "\(BuildInfo.commit)"])

        let readiness = Readiness()
        let health = HealthServer(
            address: try parseAddress(healthListen, flag: "--health-listen"), readiness: readiness,
            metricsText: { registry.emitToBuffer() }, logger: logger)
        let cluster = clusterServices(logger: logger)
        let admission = AdmissionServer(
            configuration: try admissionConfiguration(cluster: cluster.view, logger: logger), certificates: try certificates(logger: logger),
            readiness: readiness, logger: logger)
        // Shutdown runs in reverse order: admission first (readiness fails at once), then the cluster services, then health.
        let services: [any Service] = [health] + cluster.services + [admission]
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        try await group.run()
    }

    private func admissionConfiguration(cluster: (any ClusterView)?, logger: Logger) throws -> AdmissionServerConfiguration {
        var configuration = AdmissionServerConfiguration(
            policy: AdmissionPolicy(
                controllerUsername: controllerUsername ?? defaultControllerUsername(), allowedWriters: allowedWriters, gateExempt: gateExempt),
            cluster: cluster)
        configuration.listen = try parseAddress(listen, flag: "--listen")
        configuration.limits.headerReadTimeout = headerReadTimeout.value
        configuration.handshakeTimeout = handshakeTimeout.value
        configuration.maxInFlight = maxInFlight
        configuration.maxConnections = connectionLimit(logger: logger)
        configuration.shutdownDelay = shutdownDelay.value
        configuration.shutdownGrace = shutdownGrace.value
        configuration.certificateCheckInterval = certificateCheckInterval.value
        return configuration
    }

    /// `--max-connections`, with the descriptor limit raised to hold them and the other descriptors the process needs
    /// (listeners, the health port's connections, API connections, files); lowered, with a warning, when it cannot be.
    private func connectionLimit(logger: Logger) -> Int {
        let reserve = HealthServer.maxConnections + 256
        let descriptors = raiseDescriptorLimit(to: maxConnections + reserve)
        guard descriptors < maxConnections + reserve else { return maxConnections }
        let lowered = max(1, descriptors - reserve)
        logger.warning("--max-connections lowered to fit the open-file limit (ulimit -n); raise that limit to allow more", metadata: [
            "maxConnections": "\(maxConnections)", "openFileLimit": "\(descriptors)", "lowered": "\(lowered)",
        ])
        return lowered
    }

    private func parseAddress(_ text: String, flag: String) throws -> HostPort {
        do {
            return try HostPort(parsing: text)
        } catch {
            throw ValidationError("\(flag) \(text): want HOST:PORT, [IPv6]:PORT or :PORT")
        }
    }
}
