import Foundation
import HTTP
import Sockets
import Synchronization

/// A read or write on a test socket failed or timed out.
struct TestSocketError: Error {
    var call: String
}

/// A connected TCP socket as a ``ByteStream``; each blocking call runs on a thread of its own, never on the cooperative pool.
///
/// Test-only: simple and slow. The product's streams come from the Sockets module.
final class BlockingSocketStream: ByteStream {
    private let fd: Int32
    private let closed = Atomic<Bool>(false)

    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        Glibc.close(fd)
    }

    func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8] {
        let fd = fd
        let milliseconds: Int32 = deadline.map { deadline in
            let left = deadline - .now
            return Int32(max(0, min(Int64(Int32.max), left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
        } ?? -1
        return try await onThread {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, milliseconds) > 0 else { throw TestSocketError(call: "poll") }
            var buffer = [UInt8](repeating: 0, count: maxCount)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, maxCount) }
            guard count >= 0 else { throw TestSocketError(call: "read") }
            return Array(buffer.prefix(count))
        }
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) async throws {
        let fd = fd
        try await onThread {
            var offset = 0
            while offset < bytes.count {
                let count = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard count > 0 else { throw TestSocketError(call: "send") }
                offset += count
            }
        }
    }

    func close() {
        if !closed.exchange(true, ordering: .relaxed) { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result(catching: body)) }
        }
    }
}

/// A TCP listener on 127.0.0.1 that serves every connection with `serve`, until ``stop()``.
final class TestListener: Sendable {
    let port: UInt16
    private let fd: Int32
    private let served = Atomic<Int>(0)

    /// How many connections were served to the end.
    var finishedConnections: Int { served.load(ordering: .acquiring) }

    init(serve: @escaping @Sendable (any ByteStream) async -> Void) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound, listen(fd, 128) == 0 else { throw TestSocketError(call: "bind/listen") }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop(serve: serve) }
    }

    private func acceptLoop(serve: @escaping @Sendable (any ByteStream) async -> Void) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            Task {
                await serve(BlockingSocketStream(fd: client))
                served.add(1, ordering: .releasing)
            }
        }
    }

    /// Stops accepting.
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }
}
