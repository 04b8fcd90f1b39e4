import Foundation
import Kube
import Sockets

/// A plain-TCP connector for the client tests: blocking Glibc sockets, each call on a thread of its own (never on the
/// cooperative pool). It stands in until the Sockets module's AsyncSocket is available.
struct PlainTCPConnector: KubeConnector {
    func connect(_ config: KubeConfig, deadline: ContinuousClock.Instant) async throws -> any ByteStream {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(config.host)
        address.sin_port = config.port.bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        return BlockingStream(fd: fd)
    }
}

/// A connected socket whose reads wait with poll() on a detached thread.
final class BlockingStream: ByteStream, @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var closed = false

    init(fd: Int32) {
        self.fd = fd
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        let left = deadline - .now
        return left <= .zero ? 0 : Int32(min(Int64(Int32.max), left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1))
    }

    func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8] {
        let fd = fd
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, BlockingStream.milliseconds(until: deadline))
                guard ready > 0 else {
                    continuation.resume(throwing: ready == 0 ? POSIXError(.ETIMEDOUT) : POSIXError(.EIO))
                    return
                }
                var buffer = [UInt8](repeating: 0, count: maxCount)
                let count = recv(fd, &buffer, maxCount, 0)
                if count < 0 {
                    continuation.resume(throwing: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
                } else {
                    continuation.resume(returning: Array(buffer.prefix(count)))
                }
            }
        }
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) async throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPIPE) }
            offset += sent
        }
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }

    deinit { close() }
}
