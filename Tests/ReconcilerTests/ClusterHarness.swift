import Foundation
import Kube
import Logging
import Reconciler
import TestSupport
import Testing

/// A fake API server with the objects the trigger tests act on, and ways to drive jobs through their phases.
struct ClusterHarness {
    let fake: FakeAPIServer
    let client: KubeClient

    static let triggers = """
        - apiVersion: apps/v1
          kind: Deployment
          name: web
          action: restart
        - apiVersion: serving.kserve.io/v1beta1
          kind: InferenceService
          name: model
          action: restart
        - apiVersion: argoproj.io/v1alpha1
          kind: Application
          name: ml-app
          namespace: argocd
          action: sync
        - apiVersion: argoproj.io/v1alpha1
          kind: Application
          name: ml-app
          namespace: argocd
          action: refresh
        - apiVersion: serving.kserve.io/v1beta1
          kind: InferenceService
          name: model
          action: refresh
        """

    static func start() async throws -> ClusterHarness {
        let fake = try await FakeAPIServer.start(.init(tls: false))
        var config = try KubeConfig.fromKubeconfig(path: fake.kubeconfigPath)
        config.qps = 5000
        config.burst = 5000
        let harness = ClusterHarness(fake: fake, client: KubeClient(config: config))
        try await harness.seed()
        return harness
    }

    /// Namespaces (argocd consents to triggers from ml), a Deployment, an Application, an InferenceService and its pods.
    func seed() async throws {
        try await fake.setObjects("""
            [{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ml"}},
             {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"argocd","annotations":{"mlops.dev/trigger-sources":"ml"}}},
             {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ml"},"spec":{"replicas":1,"template":{"metadata":{}}}},
             {"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"ml-app","namespace":"argocd"},"spec":{"project":"default"}},
             {"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"name":"model","namespace":"ml"},"spec":{}},
             {"apiVersion":"v1","kind":"Pod","metadata":{"name":"model-a","namespace":"ml","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"serving.kserve.io/inferenceservice":"model"}},"spec":{}},
             {"apiVersion":"v1","kind":"Pod","metadata":{"name":"model-b","namespace":"ml","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"serving.kserve.io/inferenceservice":"model"}},"spec":{}}]
            """)
    }

    /// A NotebookValidationJob in `namespace` with `triggers` (YAML) and the given phase.
    static func job(_ name: String, namespace: String = "ml", phase: String, triggers: String? = triggers) -> String {
        var annotations: [String: String] = ["argocd.argoproj.io/sync-wave": "2"]
        if let triggers { annotations["mlops.dev/on-success-trigger"] = triggers }
        let object: [String: Any] = [
            "apiVersion": "mlops.mlops.dev/v1alpha1", "kind": "NotebookValidationJob",
            "metadata": ["name": name, "namespace": namespace, "annotations": annotations],
            "spec": ["notebook": ["path": "train.ipynb"]], "status": ["phase": phase],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// Moves a job to `phase` through the status subresource, as the operator does.
    func setPhase(_ name: String, namespace: String = "ml", _ phase: String, completionTime: String? = nil) async throws {
        var status: [(String, JSONValue)] = [("phase", .string(phase))]
        status.append(("completionTime", completionTime.map(JSONValue.string) ?? .null))
        try await client.mergePatch(.notebookValidationJobs, namespace: namespace, name: name, subresource: "status", patch: .object([("status", .object(status))]))
    }

    /// The job's annotations as stored.
    func annotations(_ name: String, namespace: String = "ml") async throws -> [String: String] {
        try await client.get(.notebookValidationJobs, namespace: namespace, name: name)["metadata", "annotations"]?.stringMap ?? [:]
    }

    /// The job's trigger status as stored.
    func status(_ name: String, namespace: String = "ml") async throws -> TriggerStatus? {
        TriggerStatus(annotation: try await annotations(name, namespace: namespace)["mlops.dev/trigger-status"])
    }

    /// A reconciler service against the fake.
    func service(identity: String, workers: Int = 8, namespaces: [String] = [], lease: LeaderElector.Timing = .init(
        leaseDuration: .seconds(3), renewDeadline: .seconds(2), retryPeriod: .milliseconds(200))) -> TriggerService
    {
        var logger = Logger(label: "reconciler-\(identity)")
        logger.logLevel = .warning
        return TriggerService(
            client: client,
            settings: .init(namespaces: namespaces, workers: workers, timing: lease, leaseNamespace: "triggergate", leaseName: "triggergate",
                            identity: identity, deadline: .seconds(60)),
            logger: logger)
    }

    /// `triggergate serve` against the fake on free ports, returned once its namespace cache has synced and it accepts
    /// admission connections.
    func serveAdmission() async throws -> (process: ChildProcess, port: UInt16, health: UInt16) {
        let port = freePort()
        let health = freePort()
        let process = try ChildProcess(triggergateBinary.path, [
            "serve", "--kubeconfig", fake.kubeconfigPath, "--listen", "127.0.0.1:\(port)", "--health-listen", "127.0.0.1:\(health)",
            "--lease-namespace", "triggergate", "--shutdown-delay", "0s",
        ])
        try await eventually("the namespace cache synced") {
            try await run("curl", ["-s", "http://127.0.0.1:\(health)/metrics"]).stdout.contains(#"triggergate_watch_synced{resource="namespaces"} 1"#)
        }
        try await waitForPort(port)
        return (process, port, health)
    }

    /// POSTs a captured AdmissionReview (`../shared/fixtures/admission/<fixture>.raw.json`) to `serve` on `port` at
    /// `path` over HTTP/1.1, as the API server does, and returns the decoded `response`.
    func admit(_ fixture: String, path: String, port: UInt16, server: ChildProcess) async throws -> [String: Any] {
        let file = fixturesRoot.appendingPathComponent("admission/\(fixture).raw.json").path
        let result = try await run("curl", [
            "-sk", "--http1.1", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@" + file,
            "https://127.0.0.1:\(port)\(path)?timeout=5s",
        ])
        let review = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(review?["response"] as? [String: Any], "\(result.stdout) \(result.stderr)\n\(server.output)")
    }

    /// Waits until `condition` holds, checking every 50 ms, or throws after `timeout`.
    func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessTimeout(what: what)
    }
}

/// A condition did not come true in time.
struct HarnessTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting until \(what)" }
}
