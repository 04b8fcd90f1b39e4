import Sockets
import TLS

/// A TLS echo server on 127.0.0.1 for tests: echoes what it reads, the first time prefixed with `[ALPN protocol]`.
struct TLSEchoServer {
    let listener: AsyncSocket
    let task: Task<Void, Never>
    var port: UInt16 { listener.localPort }

    /// Starts serving with `context`; handshakes that fail are dropped.
    static func start(_ context: TLSServerContext) async throws -> TLSEchoServer {
        let listener = try await AsyncSocket.listen(on: HostPort(host: "127.0.0.1", port: 0))
        let task = Task {
            await withDiscardingTaskGroup { group in
                while let socket = try? await listener.accept() {
                    group.addTask {
                        guard let connection = try? await TLSConnection.accept(socket, context: context, deadline: .now + .seconds(30)) else { return }
                        var tag = Array("[\(connection.negotiatedProtocol ?? "none")]".utf8)
                        while let bytes = try? await connection.read(maxCount: 65536, deadline: .now + .seconds(30)), !bytes.isEmpty {
                            try? await connection.write(tag + bytes, deadline: .now + .seconds(30))
                            tag = []
                        }
                        connection.close()
                    }
                }
            }
        }
        return TLSEchoServer(listener: listener, task: task)
    }

    func stop() {
        listener.close()
    }
}

/// Connects to 127.0.0.1:`port` with TLS, verifying `serverName`.
func tlsConnect(port: UInt16, context: TLSClientContext, serverName: String) async throws -> TLSConnection {
    let socket = try await AsyncSocket.connect(host: "127.0.0.1", port: port, deadline: .now + .seconds(30))
    return try await TLSConnection.connect(socket, context: context, serverName: serverName, deadline: .now + .seconds(30))
}
