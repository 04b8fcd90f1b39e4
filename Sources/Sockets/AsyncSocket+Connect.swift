import Glibc

extension AsyncSocket {
    /// Opens a TCP connection to `host` and `port`, trying each resolved address in turn until `deadline`.
    ///
    /// Names are resolved with `getaddrinfo` on a dedicated thread, never on the cooperative pool.
    ///
    /// - Parameters:
    ///   - host: A DNS name, an IPv4 address or an IPv6 address (without brackets).
    ///   - port: The port.
    ///   - deadline: When to give up with ``SocketError`` (`.timedOut`).
    /// - Returns: The connected socket, with `TCP_NODELAY` set.
    public static func connect(host: String, port: UInt16, deadline: ContinuousClock.Instant) async throws -> AsyncSocket {
        let addresses = try await resolve(host: host, port: port, passive: false)
        var lastError = SocketError(.resolve(code: EAI_NONAME), call: "getaddrinfo", detail: host)
        for address in addresses {
            do {
                return try await connect(to: address, deadline: deadline, detail: HostPort(host: host, port: port).description)
            } catch let error as SocketError where !error.isTimeout {
                lastError = error
            }
        }
        throw lastError
    }

    private static func connect(to address: ResolvedAddress, deadline: ContinuousClock.Instant, detail: String) async throws -> AsyncSocket {
        let socket = try AsyncSocket(try Socket.makeTCP(family: address.family))
        try? socket.socket.setOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
        let mark = socket.readinessMark(.write)
        let started = try address.withSockaddr { pointer, length in
            try Socket.syscall("connect", detail: detail) { Glibc.connect(socket.socket.fd, pointer, length) }
        }
        if case .wouldBlock = started {
            do {
                try await socket.waitUntilReady(.write, since: mark, deadline: deadline)
            } catch let error as SocketError {
                socket.close()
                throw SocketError(error.kind, call: "connect", detail: detail)
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(socket.socket.fd, SOL_SOCKET, SO_ERROR, &code, &length)
            guard code == 0 else {
                socket.close()
                throw SocketError(.system(errno: code), call: "connect", detail: detail)
            }
        }
        return socket
    }
}
