import COpenSSL

/// An X.509 v3 certificate under construction: subject, validity, public key, extensions, then a signature.
struct CertificateBuilder {
    /// The certificate; the caller frees it with `X509_free`.
    let certificate: OpaquePointer

    /// Starts a certificate for `key` named `commonName`, valid from an hour ago for `validDays`, with a random serial,
    /// issued by itself until ``X509_set_issuer_name`` says otherwise.
    init(commonName: String, key: OpaquePointer, validDays: Int) throws {
        guard let certificate = X509_new() else { throw TLSError.fromQueue("make a certificate") }
        self.certificate = certificate
        var serial = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&serial, Int32(serial.count)) == 1 else { throw TLSError.fromQueue("make a serial number") }
        serial[0] &= 0x7F
        let number = BN_bin2bn(serial, Int32(serial.count), nil)
        defer { BN_free(number) }
        guard let name = X509_NAME_new() else { throw TLSError.fromQueue("make a name") }
        defer { X509_NAME_free(name) }
        guard X509_set_version(certificate, 2) == 1,
            BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil,
            X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
            X509_gmtime_adj(X509_getm_notAfter(certificate), validDays * 86400) != nil,
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
            X509_set_subject_name(certificate, name) == 1,
            X509_set_issuer_name(certificate, name) == 1,
            X509_set_pubkey(certificate, key) == 1
        else {
            X509_free(certificate)
            throw TLSError.fromQueue("make a certificate")
        }
    }

    /// Adds v3 extensions written in OpenSSL's configuration syntax, for example `(NID_basic_constraints, "CA:TRUE")`.
    func addExtensions(issuer: OpaquePointer, _ extensions: [(nid: Int32, value: String)]) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer, certificate, nil, nil, 0)
        for (nid, value) in extensions {
            guard let `extension` = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw TLSError.fromQueue("add the certificate extension \(value)")
            }
            defer { X509_EXTENSION_free(`extension`) }
            guard X509_add_ext(certificate, `extension`, -1) == 1 else { throw TLSError.fromQueue("add the certificate extension \(value)") }
        }
    }

    /// Signs the certificate with SHA-256.
    func sign(with key: OpaquePointer) throws {
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw TLSError.fromQueue("sign the certificate") }
    }
}
