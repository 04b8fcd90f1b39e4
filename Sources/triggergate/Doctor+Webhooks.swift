import FoundationEssentials
import Kube
import Sockets
import TLS

extension Doctor {
    /// A webhook triggergate serves. One more webhook is one more entry.
    struct ExpectedWebhook: Sendable {
        var configuration: ResourceType
        var name: String
        var path: String
        var required: Bool
    }

    /// The webhooks of deploy/base/webhooks.yaml and the chart.
    static let webhooks: [ExpectedWebhook] = [
        ExpectedWebhook(configuration: .validatingWebhookConfigurations, name: "validate.triggergate.mlops.dev", path: "/validate", required: true),
        ExpectedWebhook(configuration: .mutatingWebhookConfigurations, name: "mutate.triggergate.mlops.dev", path: "/mutate", required: true),
        ExpectedWebhook(configuration: .validatingWebhookConfigurations, name: "gate.triggergate.mlops.dev", path: "/gate", required: false),
    ]

    /// One webhook entry found in a configuration.
    private struct Entry {
        var configuration: ResourceType
        var configurationName: String
        var json: JSONValue
        var name: String { json["name"]?.stringValue ?? "" }
    }

    /// Every expected webhook exists; every entry that is triggergate's (by name, or by calling a Service in its
    /// namespace) calls an existing Service port at a path triggergate serves, and its caBundle verifies the
    /// certificate that Service actually serves.
    func webhookChecks() async -> [DoctorCheck] {
        var entries: [Entry] = []
        for type in [ResourceType.validatingWebhookConfigurations, .mutatingWebhookConfigurations] {
            do {
                for item in try await client.list(type, namespace: nil).items {
                    for webhook in item["webhooks"]?.arrayValue ?? [] where isTriggergate(webhook) {
                        entries.append(Entry(configuration: type, configurationName: item["metadata", "name"]?.stringValue ?? "", json: webhook))
                    }
                }
            } catch {
                return [.failed("webhook", "cannot list \(type.plural): \(error)", fix: "run doctor as a user who may list \(type.plural)")]
            }
        }
        var checks: [DoctorCheck] = []
        for expected in Self.webhooks where !entries.contains(where: { $0.name == expected.name && $0.configuration == expected.configuration }) {
            let detail = "no \(expected.configuration.plural) has the webhook \(expected.name)"
            let fix = "apply deploy/ (kubectl apply -k deploy/overlays/cert-manager) or install the chart"
            checks.append(expected.required ? .failed("webhook", detail, fix: fix) : .skipped("webhook", detail + " (optional)", fix: fix))
        }
        for entry in entries { checks.append(await check(entry)) }
        return checks
    }

    private func isTriggergate(_ webhook: JSONValue) -> Bool {
        let name = webhook["name"]?.stringValue ?? ""
        return Self.webhooks.contains { $0.name == name } || webhook["clientConfig", "service", "namespace"]?.stringValue == namespace
    }

    private func check(_ entry: Entry) async -> DoctorCheck {
        let title = "\(entry.name) (\(entry.configuration.plural) \(entry.configurationName))"
        let expected = Self.webhooks.first { $0.name == entry.name && $0.configuration == entry.configuration }
        guard let service = entry.json["clientConfig", "service"], let serviceName = service["name"]?.stringValue,
              let serviceNamespace = service["namespace"]?.stringValue
        else {
            return .failed("webhook", "\(title) calls a URL, not a Service", fix: "set clientConfig.service to triggergate's Service")
        }
        let path = service["path"]?.stringValue ?? "/"
        let port = service["port"]?.intValue ?? 443
        let target = "\(serviceNamespace)/\(serviceName):\(port)\(path)"
        let paths = Self.webhooks.filter { $0.configuration == entry.configuration }.map(\.path)
        if let expected, path != expected.path {
            return .failed("webhook", "\(title) calls \(target), not \(expected.path)", fix: "set clientConfig.service.path to \(expected.path)")
        }
        if !paths.contains(path) {
            return .failed("webhook", "\(title) calls \(target), which triggergate does not serve",
                           fix: "set clientConfig.service.path to one of \(paths.joined(separator: ", "))")
        }
        let serviceObject: JSONValue?
        do {
            serviceObject = try await object(.services, namespace: serviceNamespace, name: serviceName)
        } catch {
            return .failed("webhook", "\(title): cannot read Service \(serviceNamespace)/\(serviceName): \(error)", fix: "check the kubeconfig's access")
        }
        guard let serviceObject else {
            return .failed("webhook", "\(title) calls Service \(serviceNamespace)/\(serviceName), which does not exist",
                           fix: "install triggergate's Service, or point clientConfig.service at it")
        }
        guard (serviceObject["spec", "ports"]?.arrayValue ?? []).contains(where: { $0["port"]?.intValue == port }) else {
            return .failed("webhook", "\(title) calls port \(port), which Service \(serviceNamespace)/\(serviceName) does not have",
                           fix: "set clientConfig.service.port to the Service's https port (443)")
        }
        let caFix = "put the CA that signed the serving certificate in caBundle (cert-manager's CA injector, or base64 of ca.crt from `triggergate certs`)"
        guard let text = entry.json["clientConfig", "caBundle"]?.stringValue, let ca = Data(base64Encoded: text), !ca.isEmpty else {
            return .failed("webhook", "\(title) has no caBundle: the API server cannot trust triggergate", fix: caFix)
        }
        let serverName = "\(serviceName).\(serviceNamespace).svc"
        let address = webhookAddress ?? HostPort(host: serverName, port: UInt16(clamping: port))
        switch await handshake(address, serverName: serverName, ca: Array(ca)) {
        case .verified:
            return .ok("webhook", "\(title) calls \(target); its caBundle verifies the certificate served at \(address)")
        case .unreachable(let reason):
            return .skipped("webhook", "\(title) calls \(target); cannot reach \(address) to check its certificate (\(reason))",
                            fix: "run doctor in the cluster, or `kubectl -n \(serviceNamespace) port-forward svc/\(serviceName) 8443:\(port)` and add --webhook-address 127.0.0.1:8443")
        case .refused(let reason):
            return .failed("webhook", "\(title): the certificate served at \(address) does not verify against its caBundle (\(reason))", fix: caFix)
        }
    }

    private enum Handshake {
        case verified
        case unreachable(String)
        case refused(String)
    }

    /// A TLS handshake with `address` that trusts only `ca` and expects `serverName`, as the API server does.
    private func handshake(_ address: HostPort, serverName: String, ca: [UInt8]) async -> Handshake {
        let deadline = ContinuousClock.now + timeout
        let context: TLSClientContext
        do {
            context = try TLSClientContext(trustedCAPEM: ca)
        } catch {
            return .refused("caBundle is not a PEM certificate: \(error)")
        }
        let socket: AsyncSocket
        do {
            socket = try await AsyncSocket.connect(host: address.host, port: address.port, deadline: deadline)
        } catch {
            return .unreachable("\(error)")
        }
        do {
            let connection = try await TLSConnection.connect(socket, context: context, serverName: serverName, deadline: deadline)
            connection.close()
            return .verified
        } catch {
            socket.close()
            return .refused("\(error)")
        }
    }
}
