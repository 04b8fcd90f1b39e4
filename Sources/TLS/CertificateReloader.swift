import COpenSSL
import Glibc
public import Logging
import Locking

/// Where a serving certificate comes from on disk.
public struct CertificateFiles: Sendable, Equatable {
    /// The certificate chain (`--tls-cert-file`).
    public var certificate: String
    /// Its private key (`--tls-key-file`).
    public var key: String
    /// CAs that client certificates must chain to (`--client-ca-file`), if any.
    public var clientCA: String?

    /// Creates a description of the files.
    public init(certificate: String, key: String, clientCA: String? = nil) {
        self.certificate = certificate
        self.key = key
        self.clientCA = clientCA
    }

    var paths: [String] { [certificate, key] + (clientCA.map { [$0] } ?? []) }
}

/// Holds the current server context and, when it came from files, replaces it when they change.
///
/// ``run(every:onChange:)`` checks the files' modification time, size and SHA-256 at every tick. A changed, valid pair
/// becomes the context for new handshakes; established connections keep the one they started with. A broken pair
/// (unreadable, mismatched, half-written) is logged and the previous context is kept.
public final class CertificateReloader: Sendable {
    private let files: CertificateFiles?
    private let logger: Logger
    private let state: Locked<(context: TLSServerContext, fingerprint: [UInt8])>

    /// Loads the context from `files`; throws when they do not make a valid pair.
    public init(files: CertificateFiles, logger: Logger) throws {
        self.files = files
        self.logger = logger
        let fingerprint = try Self.fingerprint(files)
        state = Locked((try Self.load(files), fingerprint))
    }

    /// Serves a fixed context, for example an in-memory self-signed certificate; nothing is reloaded.
    public init(fixed context: TLSServerContext, logger: Logger) {
        files = nil
        self.logger = logger
        state = Locked((context, []))
    }

    /// The context for new handshakes.
    public var current: TLSServerContext {
        state.withLock { $0.context }
    }

    /// Checks the files every `interval` until the task is cancelled; calls `onChange` after each successful reload.
    public func run(every interval: Duration = .seconds(10), onChange: @escaping @Sendable (TLSServerContext) -> Void) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            if let context = reloadIfChanged() { onChange(context) }
        }
    }

    /// Reloads when the files differ from the last ones seen; returns the new context, or `nil` when nothing changed or the new pair is broken.
    public func reloadIfChanged() -> TLSServerContext? {
        guard let files else { return nil }
        let fingerprint: [UInt8]
        do {
            fingerprint = try Self.fingerprint(files)
        } catch {
            logger.error("cannot read the certificate files; keeping the current certificate", metadata: ["error": "\(error)"])
            return nil
        }
        guard state.withLock({ $0.fingerprint }) != fingerprint else { return nil }
        do {
            let context = try Self.load(files)
            state.withLock { $0 = (context, fingerprint) }
            logger.info("reloaded the serving certificate", metadata: [
                "serial": "\(context.certificate.serial)", "notAfter": "\(Int(context.certificate.notAfter))",
            ])
            return context
        } catch {
            state.withLock { $0.fingerprint = fingerprint }
            logger.error("the new certificate files do not make a valid pair; keeping the current certificate", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private static func load(_ files: CertificateFiles) throws -> TLSServerContext {
        try TLSServerContext(certificateFile: files.certificate, keyFile: files.key, clientCAFile: files.clientCA)
    }

    /// Modification time, size and SHA-256 of every file, as one byte string.
    private static func fingerprint(_ files: CertificateFiles) throws -> [UInt8] {
        var fingerprint: [UInt8] = []
        for path in files.paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw TLSError("read \(path)", reasons: [String(cString: strerror(errno))]) }
            withUnsafeBytes(of: (info.st_mtim.tv_sec, info.st_mtim.tv_nsec, info.st_size)) { fingerprint += $0 }
            fingerprint += sha256(try readFile(path))
        }
        return fingerprint
    }

    private static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = EVP_Digest(bytes, bytes.count, &digest, &length, EVP_sha256(), nil)
        return Array(digest.prefix(Int(length)))
    }
}
