import FoundationEssentials
import Yams

/// The parts of a kubeconfig file triggergate reads (trusted input, so Yams' Decodable API is fine).
struct KubeconfigFile: Decodable {
    struct Named<Value: Decodable>: Decodable {
        var name: String
        var value: Value?

        enum CodingKeys: String, CodingKey { case name, cluster, user, context }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            value = try container.decodeIfPresent(Value.self, forKey: .cluster)
                ?? container.decodeIfPresent(Value.self, forKey: .user)
                ?? container.decodeIfPresent(Value.self, forKey: .context)
        }
    }

    struct Cluster: Decodable {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }
    }

    struct User: Decodable {
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?

        enum CodingKeys: String, CodingKey {
            case token, tokenFile
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
        }
    }

    struct Context: Decodable {
        var cluster: String
        var user: String?
        var namespace: String?
    }

    var clusters: [Named<Cluster>]?
    var users: [Named<User>]?
    var contexts: [Named<Context>]?
    var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
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
            file = try YAMLDecoder().decode(KubeconfigFile.self, from: text)
        } catch {
            throw KubeConfigError("kubeconfig \(path) is not valid: \(error)")
        }
        guard let contextName = file.currentContext, !contextName.isEmpty else {
            throw KubeConfigError("kubeconfig \(path) has no current-context; set one with kubectl config use-context")
        }
        guard let context = file.contexts?.first(where: { $0.name == contextName })?.value else {
            throw KubeConfigError("kubeconfig \(path): current-context \"\(contextName)\" is not among its contexts")
        }
        guard let cluster = file.clusters?.first(where: { $0.name == context.cluster })?.value else {
            throw KubeConfigError("kubeconfig \(path): context \"\(contextName)\" names cluster \"\(context.cluster)\", which is not defined")
        }
        var user = KubeconfigFile.User()
        if let userName = context.user {
            guard let found = file.users?.first(where: { $0.name == userName }) else {
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
