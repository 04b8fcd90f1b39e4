import COpenSSL
import Glibc

/// Facts about a certificate that operators and metrics need.
public struct CertificateInfo: Sendable, Equatable {
    /// The serial number in upper-case hex, as `openssl x509 -serial` prints it.
    public var serial: String
    /// The end of validity, in seconds since 1970.
    public var notAfter: Double

    /// Reads the facts from a certificate.
    init(_ certificate: OpaquePointer) {
        serial = Self.serialHex(certificate)
        notAfter = Self.seconds(X509_get0_notAfter(certificate))
    }

    /// Reads the facts from the first certificate in `pem`.
    public init(pem: [UInt8]) throws {
        let certificates = try PEM.certificates(pem, what: "the certificate")
        defer { for certificate in certificates { X509_free(certificate) } }
        self.init(certificates[0])
    }

    private static func serialHex(_ certificate: OpaquePointer) -> String {
        guard let number = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nil) else { return "" }
        defer { BN_free(number) }
        guard let hex = BN_bn2hex(number) else { return "" }
        defer { tg_OPENSSL_free(hex) }
        return String(cString: hex)
    }

    private static func seconds(_ time: UnsafePointer<ASN1_TIME>?) -> Double {
        var parts = tm()
        guard let time, ASN1_TIME_to_tm(time, &parts) == 1 else { return 0 }
        return Double(timegm(&parts))
    }
}
