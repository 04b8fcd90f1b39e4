import COpenSSL

/// TLS 1.2 minimum, ECDHE + AEAD suites for TLS 1.2, AES-128-GCM first for TLS 1.3, no renegotiation or compression,
/// partial writes, read-ahead (one read per arrival, not two per record): for every context.
func applyCommonSettings(_ context: OpaquePointer, server: Bool) throws {
    guard tg_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1,
        SSL_CTX_set_cipher_list(context, TLSServerContext.tls12Ciphers) == 1,
        SSL_CTX_set_ciphersuites(context, TLSServerContext.tls13Suites) == 1
    else { throw TLSError.fromQueue("configure the \(server ? "server" : "client") context") }
    tg_SSL_CTX_set_safe_options(context, server ? 1 : 0)
    _ = tg_SSL_CTX_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS))
    tg_SSL_CTX_enable_read_ahead(context)
}

/// Makes `context` present the certificate chain and key in PEM; returns the leaf certificate's facts.
///
/// - Parameters:
///   - chainPEM: The certificate, then any intermediates.
///   - keyPEM: Its private key.
///   - what: `serving` or `client`, for messages.
func useIdentity(_ context: OpaquePointer, chainPEM: [UInt8], keyPEM: [UInt8], what: String) throws -> CertificateInfo {
    let chain = try PEM.certificates(chainPEM, what: "the \(what) certificate")
    defer { for certificate in chain { X509_free(certificate) } }
    let key = try PEM.privateKey(keyPEM, what: "the \(what) key")
    defer { EVP_PKEY_free(key) }
    guard SSL_CTX_use_certificate(context, chain[0]) == 1 else { throw TLSError.fromQueue("use the \(what) certificate") }
    for intermediate in chain.dropFirst() where tg_SSL_CTX_add1_chain_cert(context, intermediate) != 1 {
        throw TLSError.fromQueue("add an intermediate \(what) certificate")
    }
    guard SSL_CTX_use_PrivateKey(context, key) == 1, SSL_CTX_check_private_key(context) == 1 else {
        throw TLSError.fromQueue("use the \(what) key", fallback: "the key does not match the certificate")
    }
    return CertificateInfo(chain[0])
}
