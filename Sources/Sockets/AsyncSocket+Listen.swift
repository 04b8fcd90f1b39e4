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
        let candidates: [ResolvedAddress]
        if address.host.isEmpty {
            candidates = [wildcard(family: AF_INET6, port: address.port), wildcard(family: AF_INET, port: address.port)]
        } else {
            candidates = try await resolve(host: address.host, port: address.port, passive: true)
        }
        var lastError = SocketError(.invalidAddress, call: "listen", detail: address.description)
        for candidate in candidates {
            do {
                return try listen(candidate, backlog: backlog, detail: address.description)
            } catch let error as SocketError {
                lastError = error
            }
        }
        throw lastError
    }

    private static func listen(_ address: ResolvedAddress, backlog: Int32, detail: String) throws -> AsyncSocket {
        let socket = try Socket.makeTCP(family: address.family)
        do {
            try socket.setOption(level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            if address.family == AF_INET6 {
                try socket.setOption(level: Int32(IPPROTO_IPV6), name: IPV6_V6ONLY, value: 0)
            }
            _ = try address.withSockaddr { pointer, length in
                try Socket.call("bind", detail: detail) { bind(socket.fd, pointer, length) }
            }
            _ = try Socket.call("listen", detail: detail) { Glibc.listen(socket.fd, backlog) }
        } catch {
            socket.close()
            throw error
        }
        return try AsyncSocket(socket)
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
    public var localPort: UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket.fd, $0, &length) }
        }
        return withUnsafeBytes(of: storage) { raw in
            // sin_port and sin6_port sit at the same offset, right after the family.
            UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
        }
    }
}
