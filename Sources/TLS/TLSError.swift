import COpenSSL

/// A TLS operation failed: bad PEM input, a refused handshake, or an OpenSSL error during I/O.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    /// What was being done, for example `load the certificate` or `handshake`.
    public var operation: String
    /// OpenSSL's reasons, oldest first, or a plain explanation.
    public var reasons: [String]

    /// Creates an error with explicit reasons.
    public init(_ operation: String, reasons: [String]) {
        self.operation = operation
        self.reasons = reasons
    }

    /// An error for `operation` with the reasons in OpenSSL's error queue of this thread, which it empties.
    static func fromQueue(_ operation: String, fallback: String = "no reason given by OpenSSL") -> TLSError {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return TLSError(operation, reasons: reasons.isEmpty ? [fallback] : reasons)
    }

    public var description: String {
        "TLS: cannot \(operation): \(reasons.joined(separator: "; "))"
    }
}
