import Glibc
import Sockets
import Locking
import Testing

@Suite struct ListenConnectTests {
    @Test(arguments: ["127.0.0.1", "::1", "localhost"])
    func aWildcardListenerAcceptsIPv4AndIPv6(host: String) async throws {
        let listener = try await AsyncSocket.listen(on: HostPort(parsing: ":0"))
        defer { listener.close() }
        async let accepted = listener.accept()
        let client = try await AsyncSocket.connect(host: host, port: listener.localPort, deadline: .now + .seconds(30))
        let server = try await accepted
        try await client.write(Array("hello".utf8), deadline: nil)
        #expect(try await server.read(maxCount: 64, deadline: .now + .seconds(30)) == Array("hello".utf8))
    }

    /// One listener per loop on one port: each is watched by its loop, and the kernel spreads connections over them.
    @Test(arguments: [":0", "127.0.0.1:0"])
    func listenersOnEveryLoopShareOnePortAndEachAcceptsSome(address: String) async throws {
        let loops = EventLoopGroup.shared.loops
        let listeners = try await AsyncSocket.listen(on: HostPort(parsing: address), loops: loops)
        defer { for listener in listeners { listener.close() } }
        #expect(listeners.count == loops.count)
        #expect(Set(listeners.map(\.localPort)).count == 1)
        #expect(listeners.map { ObjectIdentifier($0.loop) } == loops.map { ObjectIdentifier($0) })
        let clients = 64
        let counts = Counts(listeners.count)
        let acceptors = listeners.enumerated().map { index, listener in
            Task {
                while let connection = try? await listener.accept(on: listener.loop) {
                    counts.add(index)
                    connection.close()
                }
            }
        }
        var connected: [AsyncSocket] = []
        for _ in 0..<clients {
            connected.append(try await AsyncSocket.connect(host: "127.0.0.1", port: listeners[0].localPort, deadline: .now + .seconds(10)))
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while counts.total < clients, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        for listener in listeners { listener.close() }
        for acceptor in acceptors { await acceptor.value }
        #expect(counts.total == clients)
        #expect(counts.values.allSatisfy { $0 > 0 }, "every listener accepted some: \(counts.values)")
        for client in connected { client.close() }
    }

    /// Accepted sockets send small writes at once: they inherit `TCP_NODELAY` from the listener.
    @Test(arguments: [":0", "127.0.0.1:0"])
    func acceptedSocketsHaveNoDelay(address: String) async throws {
        let listener = try await AsyncSocket.listen(on: HostPort(parsing: address))
        defer { listener.close() }
        async let accepted = listener.accept()
        let client = try await AsyncSocket.connect(host: "127.0.0.1", port: listener.localPort, deadline: .now + .seconds(10))
        defer { client.close() }
        let server = try await accepted
        defer { server.close() }
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(server.socket.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0)
        #expect(value == 1)
    }

    /// Listeners share their port among themselves only: a second server on the same port fails as users expect.
    @Test func aPortAnotherServerHoldsIsInUseNotShared() async throws {
        let loops = EventLoopGroup.shared.loops
        let first = try await AsyncSocket.listen(on: HostPort(host: "127.0.0.1", port: 0), loops: loops)
        defer { for listener in first { listener.close() } }
        let error = await #expect(throws: SocketError.self) {
            try await AsyncSocket.listen(on: HostPort(host: "127.0.0.1", port: first[0].localPort), loops: loops)
        }
        #expect(error?.kind == .system(errno: EADDRINUSE), "\(String(describing: error))")
    }

    @Test func manyClientsAreAcceptedConcurrently() async throws {
        let listener = try await AsyncSocket.listen(on: HostPort(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let port = listener.localPort
        let echoes = Task {
            try await withThrowingDiscardingTaskGroup { group in
                for _ in 0..<50 {
                    let connection = try await listener.accept()
                    group.addTask {
                        let bytes = try await connection.read(maxCount: 64, deadline: .now + .seconds(30))
                        try await connection.write(bytes, deadline: nil)
                        connection.close()
                    }
                }
            }
        }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let client = try await AsyncSocket.connect(host: "127.0.0.1", port: port, deadline: .now + .seconds(30))
                    let message = Array("client \(index)".utf8)
                    try await client.write(message, deadline: nil)
                    return try await client.read(maxCount: 64, deadline: .now + .seconds(30)) == message
                }
            }
            for try await matched in group { #expect(matched) }
        }
        try await echoes.value
    }

    @Test func connectingToAClosedPortThrowsConnectionRefused() async throws {
        let listener = try await AsyncSocket.listen(on: HostPort(host: "127.0.0.1", port: 0))
        let port = listener.localPort
        listener.close()
        let error = await #expect(throws: SocketError.self) {
            _ = try await AsyncSocket.connect(host: "127.0.0.1", port: port, deadline: .now + .seconds(30))
        }
        #expect(error?.kind == .system(errno: ECONNREFUSED))
        #expect(error?.description.contains("connect") == true)
    }

    @Test func anUnknownNameThrowsAResolveError() async throws {
        let error = await #expect(throws: SocketError.self) {
            _ = try await AsyncSocket.connect(host: "no-such-host.invalid", port: 80, deadline: .now + .seconds(30))
        }
        guard case .resolve = error?.kind else {
            Issue.record("want a resolve error, got \(String(describing: error))")
            return
        }
    }

    @Test func acceptOnAClosedListenerThrows() async throws {
        let listener = try await AsyncSocket.listen(on: HostPort(host: "127.0.0.1", port: 0))
        let acceptor = Task { try await listener.accept() }
        try await Task.sleep(for: .milliseconds(50))
        listener.close()
        await #expect(throws: SocketError.self) { _ = try await acceptor.value }
    }

    @Test(arguments: [(":8443", "", 8443), ("127.0.0.1:80", "127.0.0.1", 80), ("[::1]:9", "::1", 9)] as [(String, String, UInt16)])
    func addressesParse(text: String, host: String, port: UInt16) throws {
        #expect(try HostPort(parsing: text) == HostPort(host: host, port: port))
    }

    @Test(arguments: ["8443", "::1:80", "host:port", "[::1:80", "host:70000"])
    func badAddressesAreRefused(text: String) {
        #expect(throws: SocketError.self) { try HostPort(parsing: text) }
    }
}

/// Accepts counted per listener, from several tasks.
private final class Counts: Sendable {
    private let state: Locked<[Int]>
    init(_ count: Int) { state = Locked(Array(repeating: 0, count: count)) }
    func add(_ index: Int) { state.withLock { $0[index] += 1 } }
    var values: [Int] { state.withLock { $0 } }
    var total: Int { values.reduce(0, +) }
}
