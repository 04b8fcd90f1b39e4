import ArgumentParser
import FoundationEssentials
import Glibc
import Kube
import Logging
import Reconciler

/// How to reach the cluster: `--kubeconfig`, or `KUBECONFIG`, or in-cluster; and the client-side rate limits.
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: "A kubeconfig file (else KUBECONFIG, else the in-cluster service account).")
    var kubeconfig: String?

    @Option(name: .customLong("kube-qps"), help: "Client-side rate limit: API requests per second.")
    var kubeQPS: Double = 50

    @Option(name: .customLong("kube-burst"), help: "Client-side rate limit: burst of API requests.")
    var kubeBurst: Int = 100

    @Option(name: .customLong("kube-timeout"), help: "The deadline of one API request (watches have their own).")
    var kubeTimeout: FlagDuration = FlagDuration(.seconds(30))

    /// The cluster to use, or the reason there is none.
    func config() throws(KubeConfigError) -> KubeConfig {
        var config = try KubeConfig.load(kubeconfigPath: kubeconfig, environment: ProcessEnvironment.all)
        config.qps = kubeQPS
        config.burst = kubeBurst
        config.requestTimeout = kubeTimeout.value
        return config
    }
}

/// The trigger reconciler's `serve` flags (SPEC §5).
struct ReconcilerOptions: ParsableArguments {
    @Option(name: .customLong("namespace"), help: "Watch NotebookValidationJobs in this namespace (repeatable; default: all namespaces).")
    var namespaces: [String] = []

    @Option(name: .long, help: "At most this many jobs are worked on at once.")
    var workers: Int = 16

    @Option(name: .customLong("trigger-deadline"), help: "How long a trigger retries temporary errors, from its first attempt (e.g. 10m).")
    var triggerDeadline: FlagDuration = FlagDuration(.seconds(600))

    @Option(name: .customLong("lease-duration"), help: "Leader election: how long a Lease that is not renewed stays held.")
    var leaseDuration: FlagDuration = FlagDuration(.seconds(15))

    @Option(name: .customLong("lease-renew-deadline"), help: "Leader election: how long the leader tries to renew before it steps down.")
    var leaseRenewDeadline: FlagDuration = FlagDuration(.seconds(10))

    @Option(name: .customLong("lease-retry-period"), help: "Leader election: how often to try to take or renew the Lease.")
    var leaseRetryPeriod: FlagDuration = FlagDuration(.seconds(2))

    @Option(name: .customLong("lease-name"), help: "Leader election: the Lease's name.")
    var leaseName: String = "triggergate"

    @Option(name: .customLong("argocd-namespace"), help: "Where Argo CD Applications named without a namespace live; their notebook status is written there.")
    var argocdNamespace: String = "argocd"

    @Option(name: .customLong("lease-namespace"), help: "Leader election: the Lease's namespace (default: POD_NAMESPACE, else the kubeconfig's, else triggergate).")
    var leaseNamespace: String?

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard leaseDuration.value > leaseRenewDeadline.value, leaseRenewDeadline.value > leaseRetryPeriod.value else {
            throw ValidationError("want --lease-duration > --lease-renew-deadline > --lease-retry-period")
        }
    }

    /// The reconciler for `config`.
    func service(config: KubeConfig, logger: Logger) -> TriggerService {
        let environment = ProcessEnvironment.all
        let namespace = leaseNamespace ?? environment["POD_NAMESPACE"] ?? config.namespace ?? "triggergate"
        let settings = TriggerService.Settings(
            namespaces: namespaces, workers: workers,
            timing: .init(leaseDuration: leaseDuration.value, renewDeadline: leaseRenewDeadline.value, retryPeriod: leaseRetryPeriod.value),
            leaseNamespace: namespace, leaseName: leaseName, identity: Self.identity(environment), deadline: triggerDeadline.value,
            applicationStatus: .init(argocdNamespace: argocdNamespace))
        return TriggerService(client: KubeClient(config: config), settings: settings, logger: logger)
    }

    /// `<pod name or host name>_<random>`: unique per process, readable in the Lease.
    static func identity(_ environment: [String: String]) -> String {
        var name = environment["POD_NAME"] ?? ""
        if name.isEmpty {
            var buffer = [CChar](repeating: 0, count: 256)
            name = gethostname(&buffer, buffer.count) == 0
                ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "triggergate"
        }
        return name + "_" + String(UInt32.random(in: .min ... .max), radix: 16)
    }
}

/// A duration flag: `500ms`, `15s`, `10m`, `1h`, or a number of seconds.
struct FlagDuration: ExpressibleByArgument, Sendable, CustomStringConvertible {
    /// The duration.
    var value: Duration
    /// How it was written.
    var description: String

    init(_ value: Duration) {
        self.value = value
        let seconds = value.components.seconds
        description = seconds % 60 == 0 && seconds > 0 ? "\(seconds / 60)m" : "\(seconds)s"
    }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { argument.hasSuffix($0.0) && Double(argument.dropLast($0.0.count)) != nil }
        guard let number = Double(unit.map { String(argument.dropLast($0.0.count)) } ?? argument), number >= 0, number.isFinite else { return nil }
        value = .milliseconds(Int64((number * (unit?.1 ?? 1) * 1000).rounded()))
        description = argument
    }
}

/// The process environment, read once.
enum ProcessEnvironment {
    /// Every variable.
    static let all: [String: String] = {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        return result
    }()
}
