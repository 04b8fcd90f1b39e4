extension KubeConfig {
    /// Where a pod's service-account credentials are mounted.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The in-cluster configuration: `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT`, the service account's
    /// CA (`ca.crt`), its token (`token`, read again when it rotates) and its namespace (`namespace`).
    ///
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - serviceAccountDirectory: Where the credentials are mounted (tests point it elsewhere).
    ///   - tokenRefresh: How long a token is used before the file is read again.
    public static func inCluster(
        environment: [String: String], serviceAccountDirectory: String = KubeConfig.serviceAccountDirectory,
        tokenRefresh: Duration = .seconds(60)
    ) throws(KubeConfigError) -> KubeConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw KubeConfigError("not running in a cluster: KUBERNETES_SERVICE_HOST is not set; pass --kubeconfig FILE")
        }
        let portText = environment["KUBERNETES_SERVICE_PORT"] ?? "443"
        guard let port = UInt16(portText) else {
            throw KubeConfigError("KUBERNETES_SERVICE_PORT \"\(portText)\" is not a port number")
        }
        let ca = try FileReading.read(serviceAccountDirectory + "/ca.crt", what: "the service account CA")
        let token = TokenSource(file: serviceAccountDirectory + "/token", refreshInterval: tokenRefresh)
        _ = try token.token()
        let namespace = try? FileReading.read(serviceAccountDirectory + "/namespace", what: "the namespace file")
        return KubeConfig(
            scheme: "https", host: host, port: port, caPEM: ca, token: token,
            namespace: namespace.map { String(decoding: $0, as: UTF8.self).trimmingSpaces })
    }
}
