import Glibc

/// One address `getaddrinfo` returned, as raw `sockaddr` bytes.
struct ResolvedAddress: Sendable {
    var family: Int32
    var bytes: [UInt8]

    /// The same address with another port (`sin_port` and `sin6_port` sit at the same offset, after the family).
    func with(port: UInt16) -> ResolvedAddress {
        var copy = self
        copy.bytes.withUnsafeMutableBytes { $0.storeBytes(of: port.bigEndian, toByteOffset: 2, as: UInt16.self) }
        return copy
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes { raw in
            try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
    }
}

/// Resolves `host` and `port` to TCP addresses with `getaddrinfo`, on a dedicated thread.
///
/// - Parameters:
///   - host: A name or address; empty with `passive` for every local address.
///   - port: The port.
///   - passive: Addresses to bind (`AI_PASSIVE`) rather than to connect to.
func resolve(host: String, port: UInt16, passive: Bool) async throws -> [ResolvedAddress] {
    let outcome: Result<[ResolvedAddress], SocketError> = await runBlocking {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = (passive ? AI_PASSIVE : 0) | AI_NUMERICSERV | (passive ? 0 : AI_ADDRCONFIG)
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard code == 0 else { return .failure(SocketError(.resolve(code: code), call: "getaddrinfo", detail: host)) }
        defer { freeaddrinfo(list) }
        var addresses: [ResolvedAddress] = []
        var next = list
        while let entry = next {
            if let address = entry.pointee.ai_addr {
                let bytes = Array(UnsafeRawBufferPointer(start: address, count: Int(entry.pointee.ai_addrlen)))
                addresses.append(ResolvedAddress(family: entry.pointee.ai_family, bytes: bytes))
            }
            next = entry.pointee.ai_next
        }
        return .success(addresses)
    }
    return try outcome.get()
}
