import COpenSSL

/// Reading and writing PEM through OpenSSL memory BIOs.
enum PEM {
    /// Every certificate in `pem`, in order; throws when there is none.
    ///
    /// The caller owns the returned certificates and frees them with `X509_free`.
    static func certificates(_ pem: [UInt8], what: String) throws -> [OpaquePointer] {
        ERR_clear_error()
        let bio = try memoryBIO(pem, what: what)
        defer { BIO_free(bio) }
        var certificates: [OpaquePointer] = []
        while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
            certificates.append(certificate)
        }
        ERR_clear_error()
        guard !certificates.isEmpty else {
            throw TLSError("load \(what)", reasons: ["no PEM certificate (-----BEGIN CERTIFICATE-----) found"])
        }
        return certificates
    }

    /// The private key in `pem` (PKCS#8, RSA or EC); the caller frees it with `EVP_PKEY_free`.
    static func privateKey(_ pem: [UInt8], what: String) throws -> OpaquePointer {
        ERR_clear_error()
        let bio = try memoryBIO(pem, what: what)
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw TLSError.fromQueue("load \(what)", fallback: "no PEM private key found")
        }
        return key
    }

    /// A read-only memory BIO over a copy of `bytes`.
    private static func memoryBIO(_ bytes: [UInt8], what: String) throws -> OpaquePointer {
        guard let bio = BIO_new(BIO_s_mem()) else { throw TLSError.fromQueue("load \(what)") }
        let written = bytes.withUnsafeBytes { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
        guard written == bytes.count || bytes.isEmpty else {
            BIO_free(bio)
            throw TLSError.fromQueue("load \(what)")
        }
        return bio
    }

    /// Writes through `write` into a memory BIO and returns what was written.
    static func encode(_ what: String, _ write: (OpaquePointer) -> Int32) throws -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw TLSError.fromQueue("encode \(what)") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw TLSError.fromQueue("encode \(what)") }
        var data: UnsafeMutablePointer<CChar>?
        let count = tg_BIO_get_mem_data(bio, &data)
        guard let data, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: count))
    }
}
