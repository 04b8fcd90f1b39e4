import Glibc

extension AsyncSocket {
    /// Opens a non-blocking TCP listener.
    ///
    /// An empty host (`:8443`) listens on every address, IPv6 and IPv4 on one dual-stack socket, falling back to
    /// IPv4 alone where IPv6 is unavailable. A named host listens on the first address it resolves to.
    ///
    /// - Parameters:
    ///   - address: Where to listen; port 0 picks a free port (see ``localPort``).
    ///   - backlog: The accept queue length.
    public static func listen(on address: HostPort, backlog: Int32 = 1024) async throws -> AsyncSocket {
        try await listen(on: address, loops: [.shared], backlog: backlog)[0]
    }

    /// Opens one listener per loop, all on the same address and port (`SO_REUSEPORT`): the kernel spreads new
    /// connections over them, so that each loop accepts the connections it serves, as nginx's workers do.
    ///
    /// The address is first bound once without `SO_REUSEPORT`, so that a port another process listens on is an
    /// "address in use" error rather than a port silently shared with it; that bind also picks the port for port 0.
    ///
    /// - Parameters:
    ///   - address: Where to listen, as in ``listen(on:backlog:)``; port 0 picks one free port for all of them.
    ///   - loops: The loops, one listener each, in order; at least one.
    ///   - backlog: The accept queue length of each listener.
    public static func listen(on address: HostPort, loops: [EventLoop], backlog: Int32 = 1024) async throws -> [AsyncSocket] {
        let candidates: [ResolvedAddress]
        if address.host.isEmpty {
            candidates = [wildcard(family: AF_INET6, port: address.port), wildcard(family: AF_INET, port: address.port)]
        } else {
            candidates = try await resolve(host: address.host, port: address.port, passive: true)
        }
        var lastError = SocketError(.invalidAddress, call: "listen", detail: address.description)
        for candidate in candidates {
            var listeners: [AsyncSocket] = []
            do {
                let bound = candidate.with(port: try freePort(candidate, detail: address.description))
                for loop in loops {
                    listeners.append(try listen(bound, backlog: backlog, loop: loop, detail: address.description))
                }
                return listeners
            } catch let error as SocketError {
                for listener in listeners { listener.close() }
                lastError = error
            }
        }
        throw lastError
    }

    private static func listen(_ address: ResolvedAddress, backlog: Int32, loop: EventLoop, detail: String) throws -> AsyncSocket {
        let socket = try bound(address, sharingPort: true, detail: detail)
        do {
            // Accepted sockets inherit it.
            try socket.setOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
            _ = try Socket.call("listen", detail: detail) { Glibc.listen(socket.fd, backlog) }
        } catch {
            socket.close()
            throw error
        }
        return try AsyncSocket(socket, loop: loop)
    }

    /// Binds `address` once, alone, and lets it go: throws when another socket holds the port; returns the port.
    private static func freePort(_ address: ResolvedAddress, detail: String) throws -> UInt16 {
        let socket = try bound(address, sharingPort: false, detail: detail)
        defer { socket.close() }
        return socket.localPort
    }

    /// A new TCP socket bound to `address`, dual-stack for IPv6, with `SO_REUSEPORT` when `sharingPort`.
    private static func bound(_ address: ResolvedAddress, sharingPort: Bool, detail: String) throws -> Socket {
        let socket = try Socket.makeTCP(family: address.family)
        do {
            try socket.setOption(level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            if sharingPort { try socket.setOption(level: SOL_SOCKET, name: SO_REUSEPORT, value: 1) }
            if address.family == AF_INET6 {
                try socket.setOption(level: Int32(IPPROTO_IPV6), name: IPV6_V6ONLY, value: 0)
            }
            _ = try address.withSockaddr { pointer, length in
                try Socket.call("bind", detail: detail) { bind(socket.fd, pointer, length) }
            }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// The any-address of `family` with `port`.
    private static func wildcard(family: Int32, port: UInt16) -> ResolvedAddress {
        if family == AF_INET6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = in6addr_any
            return ResolvedAddress(family: family, bytes: withUnsafeBytes(of: address) { Array($0) })
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        return ResolvedAddress(family: family, bytes: withUnsafeBytes(of: address) { Array($0) })
    }

    /// The local port the socket is bound to (useful after listening on port 0).
    public var localPort: UInt16 { socket.localPort }
}

extension Socket {
    /// The local port the socket is bound to.
    var localPort: UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return withUnsafeBytes(of: storage) { raw in
            // sin_port and sin6_port sit at the same offset, right after the family.
            UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
        }
    }
}
