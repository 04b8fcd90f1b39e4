import Foundation
import Kube
import Reconciler
import TestSupport
import Testing

/// `triggergate doctor` against the fake API server with an install as deploy/ makes it and a real `serve` (TLS with a
/// certificate from `triggergate certs`): all ✓, then each thing broken in turn shows its ✗ with the fix and exit 1.
@Suite(.tags(.integration)) struct DoctorTests {
    static let webhookTypes = [
        ("ValidatingWebhookConfiguration", ResourceType(group: "admissionregistration.k8s.io", version: "v1", plural: "validatingwebhookconfigurations", namespaced: false)),
        ("MutatingWebhookConfiguration", ResourceType(group: "admissionregistration.k8s.io", version: "v1", plural: "mutatingwebhookconfigurations", namespaced: false)),
    ]
    static let service = ResourceType(group: "", version: "v1", plural: "services")

    /// The fake with triggergate installed, `serve` running and leading, and a way to run doctor.
    struct Install {
        let cluster: ClusterHarness
        let server: ChildProcess
        let port: UInt16
        let health: UInt16
        let certificates: URL

        func doctor(_ extra: [String] = []) async throws -> ProcessResult {
            try await run(triggergateBinary.path, [
                "doctor", "--kubeconfig", cluster.fake.kubeconfigPath, "--webhook-address", "127.0.0.1:\(port)", "--kube-timeout", "5s",
            ] + extra)
        }

        /// The webhook configuration `kind` of deploy/base/webhooks.yaml, with `caBundle` and `change` applied to each entry.
        func webhooks(_ kind: String, caFrom directory: URL? = nil, change: (inout [String: Any]) -> Void = { _ in }) throws -> String {
            let yaml = try String(contentsOf: packageRoot.appendingPathComponent("deploy/base/webhooks.yaml"), encoding: .utf8)
            var object = try #require(try manifestObjects(yaml).first { $0["kind"] as? String == kind })
            let ca = try Data(contentsOf: (directory ?? certificates).appendingPathComponent("ca.crt")).base64EncodedString()
            object["webhooks"] = (object["webhooks"] as? [[String: Any]] ?? []).map { entry in
                var entry = entry
                var client = entry["clientConfig"] as? [String: Any] ?? [:]
                client["caBundle"] = ca
                entry["clientConfig"] = client
                change(&entry)
                return entry
            }
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }

        func installWebhooks() async throws {
            for (kind, _) in DoctorTests.webhookTypes { try await cluster.fake.setObject(try webhooks(kind)) }
        }
    }

    static func certificates(_ name: String) async throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tg-doctor-\(name)-\(UUID().uuidString)")
        let made = try await run(triggergateBinary.path, ["certs", "--dns", "triggergate.triggergate.svc", "--out", directory.path])
        #expect(made.status == 0, "\(made.stderr)")
        return directory
    }

    static let serviceJSON = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"triggergate","namespace":"triggergate"},
         "spec":{"ports":[{"name":"https","port":443,"targetPort":"https"},{"name":"metrics","port":8081,"targetPort":"health"}]}}
        """

    /// argocd-cm with the health check of deploy/argocd.
    static var argocdConfigMap: String {
        get throws {
            let healthCheck = try String(contentsOf: packageRoot.appendingPathComponent("deploy/argocd/health.lua"), encoding: .utf8)
            let argocd: [String: Any] = [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "argocd-cm", "namespace": "argocd"],
                "data": ["resource.customizations.health.mlops.mlops.dev_NotebookValidationJob": healthCheck],
            ]
            return String(decoding: try JSONSerialization.data(withJSONObject: argocd), as: UTF8.self)
        }
    }

    static func install() async throws -> Install {
        let cluster = try await ClusterHarness.start()
        let certificates = try await certificates("serving")
        try await cluster.fake.setObject(argocdConfigMap)
        try await cluster.fake.setObject(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"triggergate"}}"#)
        try await cluster.fake.setObject(serviceJSON)
        let port = freePort()
        let health = freePort()
        let server = try ChildProcess(triggergateBinary.path, [
            "serve", "--kubeconfig", cluster.fake.kubeconfigPath, "--listen", "127.0.0.1:\(port)", "--health-listen", "127.0.0.1:\(health)",
            "--tls-cert-file", certificates.appendingPathComponent("tls.crt").path,
            "--tls-key-file", certificates.appendingPathComponent("tls.key").path,
            "--lease-namespace", "triggergate", "--shutdown-delay", "0s",
        ])
        let install = Install(cluster: cluster, server: server, port: port, health: health, certificates: certificates)
        try await install.installWebhooks()
        try await cluster.fake.configure(#"{"service_proxy": {"triggergate/triggergate:metrics": "http://127.0.0.1:\#(health)"}}"#)
        try await cluster.eventually("serve leads and its caches synced") {
            let metrics = try await run("curl", ["-s", "http://127.0.0.1:\(health)/metrics"]).stdout
            return server.output.contains("became the leader") && metrics.contains(#"triggergate_watch_synced{resource="notebookvalidationjobs"} 1"#)
                && metrics.contains(#"triggergate_watch_synced{resource="namespaces"} 1"#)
        }
        return install
    }

    @Test func aHealthyInstallIsAllChecksThenEachBreakShowsItsFailure() async throws {
        let install = try await Self.install()
        let cluster = install.cluster
        let healthy = try await install.doctor()
        #expect(healthy.status == 0, "\(healthy.stdout)\(healthy.stderr)\n\(install.server.output)")
        let lines = healthy.stdout.split(separator: "\n")
        #expect(lines.allSatisfy { $0.hasPrefix("✓ ") }, "\(healthy.stdout)")
        for expected in [
            "✓ crd: NotebookValidationJob", "✓ rbac: triggergate may get, create, update leases.coordination.k8s.io in namespace triggergate",
            "✓ webhook: validate.triggergate.mlops.dev", "✓ webhook: gate.triggergate.mlops.dev", "✓ webhook: mutate.triggergate.mlops.dev",
            "✓ lease: Lease triggergate/triggergate is held by", "✓ watch: the notebookvalidationjobs watch cache is synced",
            "✓ argocd: argocd-cm has the NotebookValidationJob health check",
        ] {
            #expect(lines.contains { $0.hasPrefix(expected) }, "\(expected) in\n\(healthy.stdout)")
        }
        #expect(lines.count == Doctor.count, "\(healthy.stdout)")

        let json = try await install.doctor(["--output", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["ok"] as? Bool == true && (document["checks"] as? [Any])?.count == lines.count, "\(json.stdout)")

        let otherCA = try await Self.certificates("other")
        let user = "system:serviceaccount:triggergate:triggergate"
        let breaks: [(String, [String], () async throws -> Void, () async throws -> Void)] = [
            ("✗ crd: Application (applications.argoproj.io/v1alpha1) is not served — fix: install Argo CD", [],
             { try await cluster.fake.injectFault(FakeFault(method: "GET", path: "^/apis/argoproj.io/v1alpha1$", status: 404)) }, {}),
            ("✗ rbac: triggergate may not create, update leases.coordination.k8s.io in namespace triggergate — fix: grant create, update", [],
             { try await cluster.fake.configure(#"{"sar_grants": [{"subject": "\#(user)", "verb": "get", "group": "coordination.k8s.io", "resource": "leases"}]}"#) },
             { try await cluster.fake.configure(#"{"sar_grants": null}"#) }),
            ("✗ webhook: no mutatingwebhookconfigurations has the webhook mutate.triggergate.mlops.dev", [],
             { try await cluster.client.delete(Self.webhookTypes[1].1, namespace: nil, name: "triggergate") }, { try await install.installWebhooks() }),
            ("✗ webhook: validate.triggergate.mlops.dev (validatingwebhookconfigurations triggergate) calls triggergate/triggergate:443/validat, not /validate", [],
             {
                 try await cluster.fake.setObject(try install.webhooks("ValidatingWebhookConfiguration") { entry in
                     guard entry["name"] as? String == "validate.triggergate.mlops.dev" else { return }
                     var client = entry["clientConfig"] as! [String: Any]
                     var service = client["service"] as! [String: Any]
                     service["path"] = "/validat"
                     client["service"] = service
                     entry["clientConfig"] = client
                 })
             }, { try await install.installWebhooks() }),
            ("✗ webhook: mutate.triggergate.mlops.dev (mutatingwebhookconfigurations triggergate): the certificate served at 127.0.0.1:\(install.port) does not verify against its caBundle", [],
             { try await cluster.fake.setObject(try install.webhooks("MutatingWebhookConfiguration", caFrom: otherCA)) },
             { try await install.installWebhooks() }),
            ("✗ webhook: gate.triggergate.mlops.dev (validatingwebhookconfigurations triggergate) calls Service triggergate/triggergate, which does not exist", [],
             { try await cluster.client.delete(Self.service, namespace: "triggergate", name: "triggergate") },
             { try await cluster.fake.setObject(Self.serviceJSON) }),
            ("✗ lease: the Lease's namespace nowhere does not exist: no replica can lead, so no trigger runs — fix: create namespace nowhere or set --lease-namespace",
             ["--lease-namespace", "nowhere"], {}, {}),
            ("✗ lease: no Lease triggergate/other: no replica has become the leader", ["--lease-name", "other"], {}, {}),
            ("✗ argocd: the Application namespace elsewhere does not exist — fix: install Argo CD, or set --argocd-namespace",
             ["--argocd-namespace", "elsewhere"], {}, {}),
            ("✗ argocd: argocd-cm has no resource.customizations.health.mlops.mlops.dev_NotebookValidationJob", [],
             { try await cluster.fake.setObject(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"argocd-cm","namespace":"argocd"},"data":{}}"#) },
             { try await cluster.fake.setObject(try Self.argocdConfigMap) }),
        ]
        for (expected, flags, breakIt, restore) in breaks {
            try await breakIt()
            let result = try await install.doctor(flags)
            #expect(result.status == 1, "\(expected)\n\(result.stdout)\(result.stderr)")
            #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix(expected) }, "want \(expected) in\n\(result.stdout)")
            try await restore()
        }
        try await notSyncedWatchCache(install)
        install.server.signal(SIGTERM)
        _ = await install.server.waitForExit()
        await cluster.fake.stop()
    }

    /// A replica whose job watch is refused never syncs: doctor reads that from its /metrics through the Service proxy;
    /// /metrics that cannot be reached is a skipped line, not a failure.
    func notSyncedWatchCache(_ install: Install) async throws {
        let cluster = install.cluster
        try await cluster.fake.injectFault(FakeFault(method: "GET", path: "/notebookvalidationjobs$", count: 0, status: 403))
        let health = freePort()
        let replica = try ChildProcess(triggergateBinary.path, [
            "serve", "--kubeconfig", cluster.fake.kubeconfigPath, "--listen", "127.0.0.1:\(freePort())", "--health-listen", "127.0.0.1:\(health)",
            "--lease-namespace", "triggergate", "--lease-name", "replica", "--shutdown-delay", "0s",
        ])
        try await cluster.eventually("the replica's job watch failed and its namespace cache synced") {
            try await run("curl", ["-s", "http://127.0.0.1:\(health)/metrics"]).stdout.contains(#"triggergate_watch_synced{resource="namespaces"} 1"#)
                && replica.output.contains("watch failed")
        }
        try await cluster.fake.configure(#"{"service_proxy": {"triggergate/triggergate:metrics": "http://127.0.0.1:\#(health)"}}"#)
        let result = try await install.doctor()
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("✗ watch: the notebookvalidationjobs watch cache is not synced — fix: read serve's \"watch failed\" log lines"),
                "\(result.stdout)")
        #expect(result.stdout.contains("✓ watch: the namespaces watch cache is synced"), "\(result.stdout)")
        replica.signal(SIGTERM)
        _ = await replica.waitForExit()
        try await cluster.fake.clearFaults()
        try await cluster.fake.configure(#"{"service_proxy": {}}"#)
        let unreachable = try await install.doctor()
        #expect(unreachable.status == 0, "\(unreachable.stdout)")
        #expect(unreachable.stdout.contains("– watch: cannot read /metrics through the Service triggergate/triggergate"), "\(unreachable.stdout)")
    }
}

/// The number of lines doctor prints for a healthy install: one per API, per access rule, per webhook, two for the
/// Lease, two watch caches and two for Argo CD.
enum Doctor {
    static let count = 3 + AccessRule.triggergate.count + 3 + 2 + 2 + 2
}
