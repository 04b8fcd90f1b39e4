import Foundation
import Testing
import TestSupport

/// Runs the real binary the way each rendered install runs it: the Deployment's own arguments (only the listen addresses
/// and the mounted certificate files moved to a scratch folder), the certificate from the rendered Secret, and the
/// webhook's caBundle as the only trusted CA. Then it checks what the cluster would do: the probes answer, the API
/// server's TLS check of the Service name passes, the README's check job is denied, and SIGTERM ends the process
/// within terminationGracePeriodSeconds.
@Suite(.tags(.integration)) struct InstallSmokeTests {
    @Test func kustomizeCertsOverlay() async throws {
        let copy = try await deployCopyWithCertificates()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        try await smoke(try manifestObjects(try await renderKustomization(copy.appendingPathComponent("overlays/certs"))))
    }

    @Test func helmSelfSignedModeWithEveryFlag() async throws {
        try await smoke(try manifestObjects(try await renderChart([
            "--set", "certificates.mode=selfSigned", "--set", "watchNamespaces={ml-platform,ml-staging}",
            "--set", "allowedWriters={system:serviceaccount:nvj:operator}", "--set", "logLevel=debug",
        ])))
    }

    private func smoke(_ objects: [Object]) async throws {
        let folder = try scratchFolder("tg-smoke")
        defer { try? FileManager.default.removeItem(at: folder) }
        let deployment = try object("Deployment", in: objects)
        let container = try #require((deployment.at("spec.template.spec.containers") as? [Object])?.first)
        let mount = try #require((container["volumeMounts"] as? [Object])?.first)
        let secretName = try #require((deployment.at("spec.template.spec.volumes") as? [Object])?.first?.at("secret.secretName") as? String)
        let secret = try #require(try object("Secret", named: secretName, in: objects)["data"] as? [String: String])
        for file in ["tls.crt", "tls.key"] {
            let bytes = try #require(Data(base64Encoded: secret[file] ?? "", options: .ignoreUnknownCharacters))
            try bytes.write(to: folder.appendingPathComponent(file))
        }
        let webhook = try #require((try object("ValidatingWebhookConfiguration", in: objects)["webhooks"] as? [Object])?.first)
        let caBundle = try #require(webhook.at("clientConfig.caBundle") as? String)
        try #require(Data(base64Encoded: caBundle, options: .ignoreUnknownCharacters)).write(to: folder.appendingPathComponent("ca.crt"))

        // The Deployment's arguments, with the listeners on loopback ports and the Secret's mount moved to the scratch folder.
        let (https, health) = (freePort(), freePort())
        let mountPath = try #require(mount["mountPath"] as? String)
        var args = try #require(container["args"] as? [String])
        #expect(args.contains("--listen=:\(try containerPort("https", of: container))"))
        #expect(args.contains("--health-listen=:\(try containerPort("health", of: container))"))
        #expect(args.contains("--tls-cert-file=\(mountPath)/tls.crt") && args.contains("--tls-key-file=\(mountPath)/tls.key"))
        args = args.map { arg in
            if arg.hasPrefix("--listen=") { return "--listen=127.0.0.1:\(https)" }
            if arg.hasPrefix("--health-listen=") { return "--health-listen=127.0.0.1:\(health)" }
            return arg.replacingOccurrences(of: mountPath, with: folder.path)
        }
        let server = try ChildProcess(triggergateBinary.path, args)
        try await waitForPort(health)

        for probe in ["livenessProbe", "readinessProbe"] {
            let path = try #require(container.at("\(probe).httpGet.path") as? String)
            #expect(container.at("\(probe).httpGet.port") as? String == "health")
            #expect(try await httpStatus(of: "http://127.0.0.1:\(health)\(path)", within: .seconds(10)) == "200", "\(probe) \(path)\n\(server.output)")
        }

        // The API server calls https://<service>.<namespace>.svc:443<path> and trusts only the caBundle.
        let service = try #require(webhook.at("clientConfig.service") as? Object)
        let host = "\(service["name"] as? String ?? "").\(service["namespace"] as? String ?? "").svc"
        let path = try #require(service["path"] as? String)
        let review = try admissionReview(of: try ReadmeTests.checkManifest(in: String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)))
        let call = try await run("curl", [
            "--silent", "--show-error", "--http1.1", "--cacert", folder.appendingPathComponent("ca.crt").path,
            "--resolve", "\(host):\(https):127.0.0.1", "-H", "Content-Type: application/json", "--data-binary", "@-",
            "https://\(host):\(https)\(path)?timeout=5s",
        ], input: review)
        try #require(call.status == 0, "curl: \(call.stderr)\n\(server.output)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(call.stdout.utf8)) as? Object)
        #expect(answer.at("response.uid") as? String == "0f8e5a0c-7c5e-4a8e-9a43-0d6b6bbf1f11")
        #expect(answer.at("response.allowed") as? Bool == false)
        #expect((answer.at("response.status.message") as? String)?.contains(ReadmeTests.checkDenial) == true, "\(call.stdout)")

        // SIGTERM: /readyz fails, the shutdown delay passes, then a clean exit, all before the kubelet's SIGKILL.
        let grace = try #require(deployment.at("spec.template.spec.terminationGracePeriodSeconds") as? Int)
        let started = ContinuousClock.now
        server.signal(SIGTERM)
        let killer = Task {
            try await Task.sleep(for: .seconds(grace))
            server.signal(SIGKILL)
        }
        let status = await server.waitForExit()
        killer.cancel()
        #expect(status == 0, "\(server.output)")
        #expect(ContinuousClock.now - started < .seconds(grace))
    }

    /// The container port named `name`.
    private func containerPort(_ name: String, of container: Object) throws -> Int {
        let ports = try #require(container["ports"] as? [Object])
        return try #require(ports.first { $0["name"] as? String == name }?["containerPort"] as? Int)
    }

    /// The HTTP status of a GET, retried until it is 200 or `within` passes.
    private func httpStatus(of url: String, within: Duration) async throws -> String {
        let deadline = ContinuousClock.now + within
        while true {
            let result = try await run("curl", ["--silent", "--output", "/dev/null", "--write-out", "%{http_code}", url])
            if result.stdout == "200" || ContinuousClock.now > deadline { return result.stdout }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// An `admission.k8s.io/v1` AdmissionReview for a server-side dry-run CREATE of `manifest`, as the API server sends it.
    private func admissionReview(of manifest: String) throws -> [UInt8] {
        let job = try #require(try manifestObjects(manifest).first)
        let resource: Object = ["group": "mlops.mlops.dev", "version": "v1alpha1", "resource": "notebookvalidationjobs"]
        let kind: Object = ["group": "mlops.mlops.dev", "version": "v1alpha1", "kind": "NotebookValidationJob"]
        let review: Object = [
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": [
                "uid": "0f8e5a0c-7c5e-4a8e-9a43-0d6b6bbf1f11",
                "kind": kind, "resource": resource, "requestKind": kind, "requestResource": resource,
                "name": job.name ?? "", "namespace": job.at("metadata.namespace") as? String ?? "default",
                "operation": "CREATE",
                "userInfo": ["username": "jane", "groups": ["system:authenticated"]],
                "object": job, "oldObject": NSNull(), "dryRun": true,
                "options": ["kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1", "fieldManager": "kubectl-client-side-apply"],
            ] as Object,
        ]
        return Array(try JSONSerialization.data(withJSONObject: review))
    }
}
