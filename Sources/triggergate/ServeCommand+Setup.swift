import FoundationEssentials
import Admission
import Glibc
import Kube
import Logging
import Reconciler
import ServiceLifecycle
import TLS

extension ServeCommand {
    /// The serving certificate: from the files (reloaded when they change), or an in-memory self-signed one for localhost.
    func certificates(logger: Logger) throws -> CertificateReloader {
        if let tlsCertFile, let tlsKeyFile {
            return try CertificateReloader(
                files: CertificateFiles(certificate: tlsCertFile, key: tlsKeyFile, clientCA: clientCAFile), logger: logger)
        }
        let generated = try GeneratedCertificates.localhost()
        let context = try TLSServerContext(certificateChainPEM: generated.certificatePEM, privateKeyPEM: generated.keyPEM)
        let folder = FileManager.default.temporaryDirectory
        let caPath = folder.appendingPathComponent("triggergate-localhost-ca-\(getpid()).crt").path
        let reviewPath = folder.appendingPathComponent("triggergate-sample-review-\(getpid()).json").path
        do {
            try writeFile(caPath, generated.caPEM, mode: 0o644)
            try writeFile(reviewPath, Array(BuildInfo.sampleAdmissionReview.utf8), mode: 0o644)
            logger.notice("no --tls-cert-file given: serving an in-memory self-signed certificate for localhost, 127.0.0.1 and ::1", metadata: [
                "caFile": "\(caPath)",
                "try": "curl --cacert \(caPath) -H Content-Type:application/json --data-binary @\(reviewPath) https://localhost:\(listenPort())/validate",
                "tryPosts": "deploy/examples/admission-review.json, a job with an unknown trigger action, which admission denies (allowed: false, code 422)",
            ])
        } catch {
            logger.notice("no --tls-cert-file given: serving an in-memory self-signed certificate for localhost; trust this CA", metadata: [
                "caPEM": "\(String(decoding: generated.caPEM, as: UTF8.self))",
            ])
        }
        return CertificateReloader(fixed: context, logger: logger)
    }

    private func listenPort() -> String {
        String(listen.split(separator: ":").last ?? "8443")
    }

    /// `system:serviceaccount:<namespace>:triggergate`, the namespace from `POD_NAMESPACE`, the service-account
    /// namespace file, or `triggergate`.
    func defaultControllerUsername() -> String {
        let file = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"
        let fromFile = (try? String(contentsOfFile: file, encoding: .utf8))?.split(whereSeparator: \.isWhitespace).first.map(String.init)
        let namespace = [ProcessEnvironment.all["POD_NAMESPACE"], fromFile].compactMap { $0 }.first { !$0.isEmpty } ?? "triggergate"
        return "system:serviceaccount:\(namespace):triggergate"
    }

    /// The services that need the cluster (the trigger reconciler, the namespace cache and the `WaveBlocked` Events) and
    /// what admission reads of it; none, logged once, when no cluster is configured.
    func clusterServices(logger: Logger) -> (services: [any Service], view: (any ClusterView)?) {
        do {
            let config = try cluster.config()
            let namespaces = NamespaceCache(client: KubeClient(config: config), logger: logger)
            logger.info("admission reviews new and changed triggers: requester authority (SubjectAccessReview) and namespace consent", metadata: [
                "notReviewed": "\(controllerUsername ?? defaultControllerUsername())",
            ])
            let triggers = reconciler.service(config: config, logger: logger)
            let waveBlocked = WaveBlockedEvents(api: KubeClient(config: config), instance: triggers.elector.identity, logger: logger)
            let view = AdmissionClusterView(config: config, namespaces: namespaces, jobs: triggers.cache, waveBlocked: waveBlocked, logger: logger)
            return ([triggers, namespaces, waveBlocked], view)
        } catch {
            logger.notice("no cluster configured: serving admission only; checks that need the API server are skipped", metadata: [
                "reason": "\(error)",
            ])
            return ([], nil)
        }
    }
}
