import HTTP
import Sockets
import Synchronization

/// A TCP listener on 127.0.0.1 from the Sockets module that serves every connection with `serve`, until ``stop()``.
final class TestListener: Sendable {
    let port: UInt16
    private let socket: AsyncSocket
    private let served = Atomic<Int>(0)

    /// How many connections were served to the end.
    var finishedConnections: Int { served.load(ordering: .acquiring) }

    init(serve: @escaping @Sendable (any ByteStream) async -> Void) async throws {
        socket = try await AsyncSocket.listen(on: HostPort(host: "127.0.0.1", port: 0))
        port = socket.localPort
        Task { [self] in
            while let client = try? await socket.accept() {
                Task {
                    await serve(client)
                    served.add(1, ordering: .releasing)
                }
            }
        }
    }

    /// Stops accepting.
    func stop() {
        socket.close()
    }
}
