import ArgumentParser
import Kube
import Sockets

/// `triggergate doctor`: checks an install against the current kubeconfig or in-cluster, one line per check.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the install: CRDs, RBAC, webhooks and their certificate, the Lease, the watch caches, Argo CD.",
        discussion: """
            One line per check, ✓ or ✗ with the fix (– for one that is optional or cannot be reached from here).
            Exits 1 when any check fails. Outside the cluster the webhooks' Service is not reachable; forward it first:
              kubectl -n triggergate port-forward svc/triggergate 8443:443 &
              triggergate doctor --webhook-address 127.0.0.1:8443
            """
    )

    @Option(name: .long, help: "The namespace triggergate is installed in (default: POD_NAMESPACE, else triggergate).")
    var namespace: String?

    @Option(name: .customLong("service-account"), help: "triggergate's service account, whose RBAC is checked.")
    var serviceAccount: String = "triggergate"

    @Option(name: .long, help: "triggergate's Service, whose metrics port is read through the API server.")
    var service: String = "triggergate"

    @Option(name: .customLong("lease-name"), help: "The Lease's name, as given to serve.")
    var leaseName: String = "triggergate"

    @Option(name: .customLong("lease-namespace"), help: "The Lease's namespace, as given to serve (default: the install namespace).")
    var leaseNamespace: String?

    @Option(name: .customLong("argocd-namespace"), help: "Where Argo CD and its Applications live.")
    var argocdNamespace: String = "argocd"

    @Option(name: .customLong("webhook-address"), help: "Connect here (HOST:PORT) instead of to the webhooks' Service, e.g. a kubectl port-forward.")
    var webhookAddress: String?

    @Option(name: .long, help: "text (one line per check) or json.")
    var output: String = "text"

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        guard ["text", "json"].contains(output) else { throw ValidationError("--output \(output): want text or json") }
        if let webhookAddress, (try? HostPort(parsing: webhookAddress)) == nil {
            throw ValidationError("--webhook-address \(webhookAddress): want HOST:PORT")
        }
    }

    func run() async throws {
        let config = try cluster.config()
        let installNamespace = namespace ?? ProcessEnvironment.all["POD_NAMESPACE"] ?? "triggergate"
        let doctor = Doctor(
            client: KubeClient(config: config), namespace: installNamespace, serviceAccount: serviceAccount, service: service,
            leaseNamespace: leaseNamespace ?? installNamespace, leaseName: leaseName, argocdNamespace: argocdNamespace,
            webhookAddress: try webhookAddress.map { try HostPort(parsing: $0) }, timeout: cluster.kubeTimeout.value)
        let checks = await doctor.run()
        if output == "json" {
            let failed = checks.contains { $0.result == .failed }
            let document: JSONValue = .object([("ok", .bool(!failed)), ("checks", .array(checks.map(\.json)))])
            print(String(decoding: document.bytes, as: UTF8.self))
        } else {
            for check in checks { print(check.line) }
        }
        if checks.contains(where: { $0.result == .failed }) { throw ExitCode(1) }
    }
}

/// The checks of `triggergate doctor`, in the order they print.
struct Doctor: Sendable {
    let client: KubeClient
    let namespace: String
    let serviceAccount: String
    let service: String
    let leaseNamespace: String
    let leaseName: String
    let argocdNamespace: String
    let webhookAddress: HostPort?
    let timeout: Duration

    /// Every check.
    func run() async -> [DoctorCheck] {
        var checks = await apiChecks()
        checks += await rbacChecks()
        checks += await webhookChecks()
        checks += await leaseChecks()
        checks += await watchChecks()
        checks += await argoChecks()
        return checks
    }

    /// The object, `nil` when it does not exist (404); other failures thrown.
    func object(_ type: ResourceType, namespace: String?, name: String) async throws -> JSONValue? {
        do {
            return try await client.get(type, namespace: namespace, name: name)
        } catch let error as KubeError where error.kind == .notFound {
            return nil
        }
    }
}

extension ResourceType {
    /// `services/v1`.
    static let services = ResourceType(group: "", version: "v1", plural: "services")
    /// `configmaps/v1`.
    static let configMaps = ResourceType(group: "", version: "v1", plural: "configmaps")
    /// `validatingwebhookconfigurations.admissionregistration.k8s.io/v1` (cluster-scoped).
    static let validatingWebhookConfigurations = ResourceType(
        group: "admissionregistration.k8s.io", version: "v1", plural: "validatingwebhookconfigurations", namespaced: false)
    /// `mutatingwebhookconfigurations.admissionregistration.k8s.io/v1` (cluster-scoped).
    static let mutatingWebhookConfigurations = ResourceType(
        group: "admissionregistration.k8s.io", version: "v1", plural: "mutatingwebhookconfigurations", namespaced: false)
}
