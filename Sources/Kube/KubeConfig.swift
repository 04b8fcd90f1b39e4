import FoundationEssentials
import Glibc

/// Everything the client needs to reach one API server: address, TLS trust, credentials, limits.
///
/// Build it with ``load(kubeconfigPath:environment:)`` (the `--kubeconfig` flag, `KUBECONFIG`, or in-cluster),
/// ``fromKubeconfig(path:)`` or ``inCluster(environment:serviceAccountDirectory:)``.
public struct KubeConfig: Sendable {
    /// `https` or `http` (plain HTTP is for tests against the fake API server).
    public var scheme: String
    /// Host name or IP address of the API server.
    public var host: String
    /// TCP port.
    public var port: UInt16
    /// PEM of the CAs that sign the server's certificate; nil uses the system trust store.
    public var caPEM: [UInt8]?
    /// PEM of a client certificate and its key, for client-certificate authentication.
    public var clientCertificatePEM: [UInt8]?
    /// PEM of the client certificate's private key.
    public var clientKeyPEM: [UInt8]?
    /// Skip verifying the server's certificate (`insecure-skip-tls-verify`): for tests only.
    public var insecureSkipTLSVerify: Bool
    /// The TLS server name to verify, when it differs from ``host`` (`tls-server-name`).
    public var tlsServerName: String?
    /// Where the bearer token comes from, if any.
    public var token: TokenSource?
    /// The namespace of the current context (or the service account's namespace in a cluster).
    public var namespace: String?
    /// Client-side rate limit: requests per second (`--kube-qps`).
    public var qps: Double
    /// Client-side rate limit: burst (`--kube-burst`).
    public var burst: Int
    /// Deadline of an ordinary request (a watch has its own, from `timeoutSeconds`).
    public var requestTimeout: Duration
    /// The `User-Agent` header.
    public var userAgent: String

    /// Creates a configuration.
    public init(
        scheme: String = "https", host: String, port: UInt16, caPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil,
        clientKeyPEM: [UInt8]? = nil, insecureSkipTLSVerify: Bool = false, tlsServerName: String? = nil,
        token: TokenSource? = nil, namespace: String? = nil, qps: Double = 50, burst: Int = 100,
        requestTimeout: Duration = .seconds(30), userAgent: String = KubeConfig.defaultUserAgent
    ) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.token = token
        self.namespace = namespace
        self.qps = qps
        self.burst = burst
        self.requestTimeout = requestTimeout
        self.userAgent = userAgent
    }

    /// The version in `User-Agent: triggergate/<version>`.
    public static let version = "0.1.0"
    /// `triggergate/<version>`.
    public static let defaultUserAgent = "triggergate/\(version)"

    /// Whether the connection uses TLS.
    public var usesTLS: Bool { scheme == "https" }

    /// The host as it appears in a URL or a `Host` header: IPv6 addresses in brackets.
    public var urlHost: String { host.contains(":") ? "[\(host)]" : host }

    /// `https://host:port`, for messages.
    public var serverURL: String { "\(scheme)://\(urlHost):\(port)" }

    /// The configuration to use: `kubeconfigPath` (the `--kubeconfig` flag) if given, else the first file in
    /// `KUBECONFIG`, else in-cluster when `KUBERNETES_SERVICE_HOST` is set.
    ///
    /// - Throws: ``KubeConfigError`` when none applies or the chosen source is broken.
    public static func load(kubeconfigPath: String?, environment: [String: String]) throws(KubeConfigError) -> KubeConfig {
        if let path = kubeconfigPath, !path.isEmpty { return try fromKubeconfig(path: path) }
        if let list = environment["KUBECONFIG"], let first = list.split(separator: ":").first {
            return try fromKubeconfig(path: String(first))
        }
        if environment["KUBERNETES_SERVICE_HOST"] != nil { return try inCluster(environment: environment) }
        throw KubeConfigError("no cluster configured: pass --kubeconfig FILE, set KUBECONFIG, or run in a pod (KUBERNETES_SERVICE_HOST)")
    }

    /// Splits `https://host:port` (IPv6 in brackets; port defaults to 443 or 80).
    static func parseServer(_ server: String) throws(KubeConfigError) -> (scheme: String, host: String, port: UInt16) {
        let parts = server.split(separator: "://", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "https" || parts[0] == "http" else {
            throw KubeConfigError("server \"\(server)\" is not an https:// (or http://) URL")
        }
        var rest = Substring(parts[1])
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var host = rest
        var port: UInt16 = parts[0] == "https" ? 443 : 80
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw KubeConfigError("server \"\(server)\" has an unclosed [") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = UInt16(after.dropFirst()) else { throw KubeConfigError("server \"\(server)\" has a bad port") }
                port = value
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            guard let value = UInt16(rest[rest.index(after: colon)...]) else {
                throw KubeConfigError("server \"\(server)\" has a bad port")
            }
            port = value
        }
        guard !host.isEmpty else { throw KubeConfigError("server \"\(server)\" has no host") }
        return (parts[0], String(host), port)
    }
}

/// A configuration that cannot be used; the message says which file or field and what to fix.
public struct KubeConfigError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads whole files (small ones: tokens, certificates, kubeconfigs).
///
/// Through the C library, not `Data(contentsOf:)`: Foundation's reader leaks a 4 KiB buffer on every empty file (found
/// by fuzz-kubeconfig under LeakSanitizer), and a token file is read again and again.
enum FileReading {
    static func read(_ path: String, what: String) throws(KubeConfigError) -> [UInt8] {
        let failure = KubeConfigError("cannot read \(what) \(path): it does not exist or is not readable")
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            guard count > 0 || errno == EINTR else { throw failure }
            bytes += chunk[..<max(count, 0)]
        }
    }
}
