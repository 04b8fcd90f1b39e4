import FoundationEssentials
internal import YAML

/// The parts of a kubeconfig file triggergate reads, from its YAML tree.
struct KubeconfigFile {
    /// An entry of `clusters`, `users` or `contexts`: a name, and the value under `cluster`, `user` or `context`.
    struct Named<Value> {
        var name: String
        var value: Value?

        init(_ node: YAMLNode, _ field: String, _ read: (YAMLNode) throws(YAMLError) -> Value) throws(YAMLError) {
            guard let name = try node.string("name") else {
                throw YAMLError(message: "want a name in every entry of \(field)s", mark: node.mark)
            }
            self.name = name
            value = try node.field(field).map(read)
        }
    }

    struct Cluster {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?

        init(_ node: YAMLNode) throws(YAMLError) {
            server = try node.string("server")
            certificateAuthority = try node.string("certificate-authority")
            certificateAuthorityData = try node.string("certificate-authority-data")
            insecureSkipTLSVerify = try node.bool("insecure-skip-tls-verify")
            tlsServerName = try node.string("tls-server-name")
        }
    }

    struct User {
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?

        init() {}

        init(_ node: YAMLNode) throws(YAMLError) {
            token = try node.string("token")
            tokenFile = try node.string("tokenFile")
            clientCertificate = try node.string("client-certificate")
            clientCertificateData = try node.string("client-certificate-data")
            clientKey = try node.string("client-key")
            clientKeyData = try node.string("client-key-data")
        }
    }

    struct Context {
        var cluster: String
        var user: String?
        var namespace: String?

        init(_ node: YAMLNode) throws(YAMLError) {
            guard let cluster = try node.string("cluster") else {
                throw YAMLError(message: "want a cluster in every context", mark: node.mark)
            }
            self.cluster = cluster
            user = try node.string("user")
            namespace = try node.string("namespace")
        }
    }

    var clusters: [Named<Cluster>]
    var users: [Named<User>]
    var contexts: [Named<Context>]
    var currentContext: String?

    /// Reads the file's tree; a file without a document reads as an empty kubeconfig.
    init(_ text: String) throws(YAMLError) {
        let root = try YAMLNode.load(text) ?? YAMLNode(.mapping([:]), mark: YAMLMark(line: 1, column: 1))
        clusters = try root.list("clusters").map { node throws(YAMLError) in try Named(node, "cluster", Cluster.init) }
        users = try root.list("users").map { node throws(YAMLError) in try Named(node, "user", User.init) }
        contexts = try root.list("contexts").map { node throws(YAMLError) in try Named(node, "context", Context.init) }
        currentContext = try root.string("current-context")
    }
}

extension KubeConfig {
    /// Reads a kubeconfig file and uses its current context: the cluster's server and CA (file or `-data`), the user's
    /// token (`token` or `tokenFile`) and client certificate and key (file or `-data`), and the context's namespace.
    /// Relative file paths are relative to the kubeconfig's folder.
    public static func fromKubeconfig(path: String) throws(KubeConfigError) -> KubeConfig {
        let text = String(decoding: try FileReading.read(path, what: "the kubeconfig"), as: UTF8.self)
        let file: KubeconfigFile
        do {
            file = try KubeconfigFile(text)
        } catch {
            throw KubeConfigError("kubeconfig \(path) is not valid: \(error)")
        }
        guard let contextName = file.currentContext, !contextName.isEmpty else {
            throw KubeConfigError("kubeconfig \(path) has no current-context; set one with kubectl config use-context")
        }
        guard let context = file.contexts.first(where: { $0.name == contextName })?.value else {
            throw KubeConfigError("kubeconfig \(path): current-context \"\(contextName)\" is not among its contexts")
        }
        guard let cluster = file.clusters.first(where: { $0.name == context.cluster })?.value else {
            throw KubeConfigError("kubeconfig \(path): context \"\(contextName)\" names cluster \"\(context.cluster)\", which is not defined")
        }
        var user = KubeconfigFile.User()
        if let userName = context.user {
            guard let found = file.users.first(where: { $0.name == userName }) else {
                throw KubeConfigError("kubeconfig \(path): context \"\(contextName)\" names user \"\(userName)\", which is not defined")
            }
            user = found.value ?? user
        }
        guard let server = cluster.server else {
            throw KubeConfigError("kubeconfig \(path): cluster \"\(context.cluster)\" has no server")
        }
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        func material(_ data: String?, _ file: String?, _ what: String) throws(KubeConfigError) -> [UInt8]? {
            if let data {
                guard let decoded = Data(base64Encoded: data.trimmingSpaces, options: .ignoreUnknownCharacters) else {
                    throw KubeConfigError("kubeconfig \(path): \(what)-data is not base64")
                }
                return Array(decoded)
            }
            guard let file else { return nil }
            return try FileReading.read(file.hasPrefix("/") ? file : folder + "/" + file, what: "the \(what) file")
        }
        let (scheme, host, port) = try parseServer(server)
        var token: TokenSource?
        if let value = user.token {
            token = TokenSource(token: value)
        } else if let file = user.tokenFile {
            token = TokenSource(file: file.hasPrefix("/") ? file : folder + "/" + file)
        }
        let certificate = try material(user.clientCertificateData, user.clientCertificate, "client-certificate")
        let key = try material(user.clientKeyData, user.clientKey, "client-key")
        guard (certificate == nil) == (key == nil) else {
            throw KubeConfigError("kubeconfig \(path): user of context \"\(contextName)\" has a client certificate without a key, or a key without a certificate")
        }
        return KubeConfig(
            scheme: scheme, host: host, port: port,
            caPEM: try material(cluster.certificateAuthorityData, cluster.certificateAuthority, "certificate-authority"),
            clientCertificatePEM: certificate, clientKeyPEM: key,
            insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false, tlsServerName: cluster.tlsServerName,
            token: token, namespace: context.namespace)
    }
}
