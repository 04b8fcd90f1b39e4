import COpenSSL
import Glibc
public import Sockets
import Locking
import Synchronization

/// A TLS connection over an ``AsyncSocket``: OpenSSL on the non-blocking descriptor, suspending on the direction
/// OpenSSL asks for (`SSL_ERROR_WANT_READ`/`WANT_WRITE`), so that a stalled peer costs only a timer.
///
/// One read and one write may run at the same time (HTTP/2 does that); each OpenSSL call holds the connection's lock
/// for the instant it runs, never across a wait.
public final class TLSConnection: ByteStream, @unchecked Sendable {
    private let socket: AsyncSocket
    /// The OpenSSL connection, owned by this object and reached only through its lock.
    private let ssl: Locked<OpaquePointer>
    /// Keeps the context alive as long as the connection (OpenSSL holds its own reference too).
    private let context: AnyObject
    private let closed = Atomic<Bool>(false)

    private init(socket: AsyncSocket, context: AnyObject, sslContext: OpaquePointer) throws {
        guard let ssl = SSL_new(sslContext) else { throw TLSError.fromQueue("create a connection") }
        guard SSL_set_fd(ssl, socket.socket.fd) == 1 else {
            SSL_free(ssl)
            throw TLSError.fromQueue("attach the socket")
        }
        self.socket = socket
        self.context = context
        self.ssl = Locked(ssl)
    }

    deinit {
        ssl.withLock { SSL_free($0) }
    }

    /// Runs the server side of the handshake on an accepted socket.
    ///
    /// - Parameters:
    ///   - socket: The accepted connection; the TLS connection takes it over.
    ///   - context: The server context; later reloads do not affect this connection.
    ///   - deadline: When a client that has not finished the handshake is dropped.
    public static func accept(_ socket: AsyncSocket, context: TLSServerContext, deadline: ContinuousClock.Instant) async throws -> TLSConnection {
        let connection = try TLSConnection(socket: socket, context: context, sslContext: context.context)
        connection.ssl.withLock { SSL_set_accept_state($0) }
        try await connection.handshake(deadline: deadline)
        return connection
    }

    /// Runs the client side of the handshake on a connected socket, verifying the server's certificate for `serverName`.
    ///
    /// - Parameters:
    ///   - socket: The connected socket; the TLS connection takes it over.
    ///   - context: The client context (trust, client certificate, ALPN).
    ///   - serverName: A DNS name (verified and sent as SNI) or an IP address (verified against the certificate's IP SANs).
    ///   - deadline: When to give up.
    public static func connect(
        _ socket: AsyncSocket, context: TLSClientContext, serverName: String, deadline: ContinuousClock.Instant
    ) async throws -> TLSConnection {
        let connection = try TLSConnection(socket: socket, context: context, sslContext: context.context)
        connection.ssl.withLock { SSL_set_connect_state($0) }
        try connection.expectPeer(serverName)
        try await connection.handshake(deadline: deadline)
        return connection
    }

    private func expectPeer(_ name: String) throws(TLSError) {
        var address = in6_addr()
        let isIP = inet_pton(AF_INET, name, &address) == 1 || inet_pton(AF_INET6, name, &address) == 1
        try ssl.withLock { (ssl) throws(TLSError) in
            if isIP {
                guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) == 1 else {
                    throw TLSError.fromQueue("verify the server address \(name)")
                }
            } else {
                guard SSL_set1_host(ssl, name) == 1, tg_SSL_set_tlsext_host_name(ssl, name) == 1 else {
                    throw TLSError.fromQueue("verify the server name \(name)")
                }
            }
        }
    }

    private func handshake(deadline: ContinuousClock.Instant) async throws {
        do {
            guard try await perform("handshake", deadline: deadline, { SSL_do_handshake($0) }) > 0 else {
                throw TLSError("handshake", reasons: ["the peer closed the connection during the handshake"])
            }
        } catch {
            close()
            throw error
        }
    }

    /// The protocol chosen through ALPN (`h2`, `http/1.1`), or `nil` when none was.
    public var negotiatedProtocol: String? {
        ssl.withLock { ssl in
            var name: UnsafePointer<UInt8>?
            var length: UInt32 = 0
            SSL_get0_alpn_selected(ssl, &name, &length)
            guard let name, length > 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(start: name, count: Int(length)), as: UTF8.self)
        }
    }

    /// The negotiated protocol version, for example `TLSv1.3`.
    public var protocolVersion: String {
        ssl.withLock { String(cString: SSL_get_version($0)) }
    }

    public func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8] {
        guard !closed.load(ordering: .acquiring) else { return [] }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: maxCount, alignment: 1)
        defer { buffer.deallocate() }
        let count = try await perform("read", deadline: deadline) { ssl in
            var total = SSL_read(ssl, buffer.baseAddress, Int32(maxCount))
            // Records that read-ahead already holds are taken too, without another syscall or another wait.
            while total > 0, Int(total) < maxCount, SSL_has_pending(ssl) == 1 {
                let more = SSL_read(ssl, buffer.baseAddress! + Int(total), Int32(maxCount) - total)
                guard more > 0 else {
                    ERR_clear_error()  // a partial record, or an alert the next read reports
                    break
                }
                total += more
            }
            return total
        }
        return Array(buffer.prefix(Int(count)))
    }

    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) async throws {
        var offset = 0
        while offset < bytes.count {
            guard !closed.load(ordering: .acquiring) else { throw SocketError(.closed, call: "write") }
            let count = try await perform("write", deadline: deadline) { ssl in
                bytes[offset...].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32(min($0.count, Int(Int32.max)))) }
            }
            guard count > 0 else { throw SocketError(.system(errno: EPIPE), call: "write", detail: "the peer closed TLS") }
            offset += Int(count)
        }
    }

    /// Sends `close_notify` when possible, then closes the socket. Closing twice is harmless.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        ssl.withLock { ssl in
            if SSL_is_init_finished(ssl) == 1 { _ = SSL_shutdown(ssl) }
            ERR_clear_error()
        }
        socket.close()
    }

    /// Runs an OpenSSL call until it succeeds, waiting for the direction it asks for; returns 0 at a clean end of stream.
    private func perform(_ operation: String, deadline: ContinuousClock.Instant?, _ call: (OpaquePointer) -> Int32) async throws -> Int32 {
        while true {
            let marks = socket.readinessMarks()
            let outcome: (result: Int32, code: Int32, failure: TLSError?) = ssl.withLock { ssl in
                ERR_clear_error()
                let result = call(ssl)
                if result > 0 { return (result, SSL_ERROR_NONE, nil) }
                let code = SSL_get_error(ssl, result)
                let failure = code == SSL_ERROR_SSL ? TLSError.fromQueue(operation) : nil
                return (result, code, failure)
            }
            switch outcome.code {
            case SSL_ERROR_NONE:
                return outcome.result
            case SSL_ERROR_WANT_READ:
                try await socket.waitUntilReady(.read, since: marks.read, deadline: deadline)
            case SSL_ERROR_WANT_WRITE:
                try await socket.waitUntilReady(.write, since: marks.write, deadline: deadline)
            case SSL_ERROR_ZERO_RETURN:
                return 0
            case SSL_ERROR_SYSCALL:
                let code = errno
                if code == 0 || code == ECONNRESET || code == EPIPE {
                    if operation == "read" { return 0 }
                    throw TLSError(operation, reasons: ["the peer closed the connection"])
                }
                throw SocketError(.system(errno: code), call: operation)
            default:
                throw outcome.failure ?? TLSError(operation, reasons: ["OpenSSL error \(outcome.code)"])
            }
        }
    }
}
