import COpenSSL

/// An OpenSSL client context: verifies the server against a CA bundle or the system's, offers ALPN `http/1.1`
/// (or the protocols given), and optionally presents a client certificate.
public final class TLSClientContext: @unchecked Sendable {
    /// The OpenSSL context; owned by this object.
    let context: OpaquePointer

    /// Makes a client context.
    ///
    /// - Parameters:
    ///   - trustedCAPEM: CA certificates to trust; `nil` trusts the system's default bundle.
    ///   - clientCertificatePEM: A client certificate (and chain) to present, with `clientKeyPEM`.
    ///   - clientKeyPEM: The client certificate's private key.
    ///   - verifiesPeer: `false` accepts any server certificate (kubeconfig `insecure-skip-tls-verify`; tests only).
    ///   - protocols: The ALPN protocols to offer, most preferred first.
    public init(
        trustedCAPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil, verifiesPeer: Bool = true,
        protocols: [String] = ["http/1.1"]
    ) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSError.fromQueue("create a client context") }
        self.context = context
        try applyCommonSettings(context, server: false)
        SSL_CTX_set_verify(context, verifiesPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
        try trust(trustedCAPEM)
        if let clientCertificatePEM {
            guard let clientKeyPEM else {
                throw TLSError("use the client certificate", reasons: ["a client certificate needs its private key"])
            }
            _ = try useIdentity(context, chainPEM: clientCertificatePEM, keyPEM: clientKeyPEM, what: "client")
        }
        let protocols = ALPN.wire(protocols)
        guard SSL_CTX_set_alpn_protos(context, protocols, UInt32(protocols.count)) == 0 else {
            throw TLSError.fromQueue("offer ALPN")
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    private func trust(_ pem: [UInt8]?) throws {
        guard let pem else {
            guard SSL_CTX_set_default_verify_paths(context) == 1 else { throw TLSError.fromQueue("load the system CA bundle") }
            return
        }
        let authorities = try PEM.certificates(pem, what: "the CA bundle")
        defer { for authority in authorities { X509_free(authority) } }
        let store = SSL_CTX_get_cert_store(context)
        for authority in authorities where X509_STORE_add_cert(store, authority) != 1 {
            throw TLSError.fromQueue("trust the CA bundle")
        }
    }
}
