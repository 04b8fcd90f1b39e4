import COpenSSL

/// An OpenSSL server context: one certificate chain and key, TLS 1.2 minimum with ECDHE + AEAD suites, ALPN
/// `h2`/`http/1.1`, and optionally required client certificates.
///
/// Immutable once made; a certificate reload makes a new context, and connections keep the one they started with.
public final class TLSServerContext: @unchecked Sendable {
    /// The OpenSSL context; owned by this object.
    let context: OpaquePointer
    /// The serving certificate's serial and expiry.
    public let certificate: CertificateInfo

    /// TLS 1.2 suites: forward secrecy (ECDHE) and AEAD only.
    static let tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// TLS 1.3 suites, all AEAD, in the server's order of preference: OpenSSL's own three, but AES-128-GCM first, as Go's
    /// TLS (the API server's) and Mozilla's recommended settings prefer it. The server's order decides, and OpenSSL's
    /// default order puts AES-256-GCM with SHA-384 first, which makes every handshake's key schedule and every record
    /// dearer for no gain in practice.
    static let tls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

    /// Makes a server context from PEM bytes.
    ///
    /// - Parameters:
    ///   - certificateChainPEM: The serving certificate, then any intermediates.
    ///   - privateKeyPEM: The serving certificate's private key.
    ///   - clientCAPEM: When given, clients must present a certificate signed by one of these CAs.
    public init(certificateChainPEM: [UInt8], privateKeyPEM: [UInt8], clientCAPEM: [UInt8]? = nil) throws {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw TLSError.fromQueue("create a server context") }
        do {
            certificate = try useIdentity(context, chainPEM: certificateChainPEM, keyPEM: privateKeyPEM, what: "serving")
        } catch {
            // Not yet initialised, so no deinit: a reload of a broken certificate would leak a context each time.
            SSL_CTX_free(context)
            throw error
        }
        self.context = context
        try configure(clientCAPEM: clientCAPEM)
    }

    /// Makes a server context from PEM files, read whole.
    public convenience init(certificateFile: String, keyFile: String, clientCAFile: String? = nil) throws {
        try self.init(
            certificateChainPEM: try readFile(certificateFile),
            privateKeyPEM: try readFile(keyFile),
            clientCAPEM: try clientCAFile.map(readFile)
        )
    }

    deinit {
        SSL_CTX_free(context)
    }

    private func configure(clientCAPEM: [UInt8]?) throws {
        try applyCommonSettings(context, server: true)
        SSL_CTX_set_alpn_select_cb(context, alpnSelect, nil)
        if let clientCAPEM { try requireClientCertificates(signedBy: clientCAPEM) }
    }

    private func requireClientCertificates(signedBy pem: [UInt8]) throws {
        let authorities = try PEM.certificates(pem, what: "the client CA")
        defer { for authority in authorities { X509_free(authority) } }
        let store = SSL_CTX_get_cert_store(context)
        for authority in authorities {
            guard X509_STORE_add_cert(store, authority) == 1, SSL_CTX_add_client_CA(context, authority) == 1 else {
                throw TLSError.fromQueue("trust the client CA")
            }
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        let sessionContext = Array("triggergate".utf8)
        _ = SSL_CTX_set_session_id_context(context, sessionContext, UInt32(sessionContext.count))
    }
}
