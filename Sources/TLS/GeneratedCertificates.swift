import COpenSSL

/// A CA and a serving certificate signed by it, as PEM, made through the OpenSSL API.
public struct GeneratedCertificates: Sendable {
    /// The CA certificate: what clients trust (a webhook's `caBundle`, curl's `--cacert`).
    public var caPEM: [UInt8]
    /// The serving certificate followed by nothing else (the CA is the trust anchor).
    public var certificatePEM: [UInt8]
    /// The serving certificate's private key (PKCS#8).
    public var keyPEM: [UInt8]

    /// The kind of key both certificates get.
    public enum KeyType: String, Sendable, CaseIterable {
        /// ECDSA on P-256: small and fast; TLS 1.2 clients need an `ECDHE-ECDSA-*` suite.
        case ec
        /// RSA 2048, for clients that only speak `ECDHE-RSA-*` suites under TLS 1.2.
        case rsa
    }

    /// Makes a CA and a serving certificate for `dnsNames` and `ipAddresses`, with keys of `keyType`.
    ///
    /// - Parameters:
    ///   - dnsNames: DNS subject alternative names; the first is also the common name.
    ///   - ipAddresses: IPv4 or IPv6 subject alternative names.
    ///   - validDays: How long both certificates are valid.
    ///   - keyType: ECDSA P-256 (the default) or RSA 2048, for the CA and the serving certificate alike.
    public static func make(
        dnsNames: [String], ipAddresses: [String] = [], validDays: Int = 365, keyType: KeyType = .ec
    ) throws -> GeneratedCertificates {
        guard !dnsNames.isEmpty || !ipAddresses.isEmpty else {
            throw TLSError("make a certificate", reasons: ["give at least one DNS name or IP address"])
        }
        let caKey = try KeyPair.make(keyType)
        defer { EVP_PKEY_free(caKey) }
        let ca = try CertificateBuilder(commonName: "triggergate CA", key: caKey, validDays: validDays)
        defer { X509_free(ca.certificate) }
        try ca.addExtensions(issuer: ca.certificate, [
            (NID_basic_constraints, "critical,CA:TRUE"), (NID_key_usage, "critical,keyCertSign,cRLSign"),
            (NID_subject_key_identifier, "hash"),
        ])
        try ca.sign(with: caKey)

        let key = try KeyPair.make(keyType)
        defer { EVP_PKEY_free(key) }
        let leaf = try CertificateBuilder(commonName: dnsNames.first ?? ipAddresses[0], key: key, validDays: validDays)
        defer { X509_free(leaf.certificate) }
        _ = X509_set_issuer_name(leaf.certificate, X509_get_subject_name(ca.certificate))
        let names = dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }
        try leaf.addExtensions(issuer: ca.certificate, [
            (NID_basic_constraints, "critical,CA:FALSE"), (NID_key_usage, "critical,digitalSignature,keyEncipherment"),
            (NID_ext_key_usage, "serverAuth,clientAuth"), (NID_subject_alt_name, names.joined(separator: ",")),
            (NID_subject_key_identifier, "hash"), (NID_authority_key_identifier, "keyid:always"),
        ])
        try leaf.sign(with: caKey)

        return GeneratedCertificates(
            caPEM: try PEM.encode("the CA certificate") { PEM_write_bio_X509($0, ca.certificate) },
            certificatePEM: try PEM.encode("the certificate") { PEM_write_bio_X509($0, leaf.certificate) },
            keyPEM: try PEM.encode("the key") { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
        )
    }

    /// A pair for local use: `localhost`, `127.0.0.1` and `::1`, valid for 30 days.
    public static func localhost() throws -> GeneratedCertificates {
        try make(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"], validDays: 30)
    }
}

/// Private key generation through the `EVP_PKEY_CTX` keygen path.
enum KeyPair {
    /// A new ECDSA P-256 or RSA 2048 key; the caller frees it with `EVP_PKEY_free`.
    static func make(_ type: GeneratedCertificates.KeyType) throws -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_id(type == .ec ? EVP_PKEY_EC : EVP_PKEY_RSA, nil) else { throw TLSError.fromQueue("make a key") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
            (type == .ec
                ? EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1) : EVP_PKEY_CTX_set_rsa_keygen_bits(context, 2048)) == 1,
            EVP_PKEY_keygen(context, &key) == 1, let key
        else { throw TLSError.fromQueue("make a \(type == .ec ? "P-256" : "RSA 2048") key") }
        return key
    }
}
