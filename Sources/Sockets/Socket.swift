import Glibc

/// The outcome of a system call on a non-blocking descriptor: done, or it would have blocked.
public enum SyscallResult<Value> {
    /// The call finished with this value.
    case done(Value)
    /// The call would have blocked (`EAGAIN`/`EWOULDBLOCK`, or `EINPROGRESS` for connect); wait and retry.
    case wouldBlock
}

/// A small value around a socket file descriptor: the system calls, nothing asynchronous.
///
/// Every call goes through ``syscall(_:detail:_:)``, which retries `EINTR`, reports `EAGAIN` as
/// ``SyscallResult/wouldBlock`` and throws ``SocketError`` with `errno` and the call's name otherwise.
public struct Socket: Sendable, Hashable {
    /// The file descriptor.
    public let fd: Int32

    /// Wraps an existing descriptor; the caller keeps ownership.
    public init(fd: Int32) {
        self.fd = fd
    }

    /// Runs a system call that returns `-1` with `errno` on failure.
    ///
    /// - Parameters:
    ///   - name: The call's name, for the error.
    ///   - detail: Context for the error, for example the address.
    ///   - body: The call.
    public static func syscall<T: BinaryInteger>(_ name: String, detail: String = "", _ body: () -> T) throws -> SyscallResult<T> {
        while true {
            let result = body()
            if result >= 0 { return .done(result) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, EINPROGRESS: return .wouldBlock
            default: throw SocketError.system(name, detail: detail)
            }
        }
    }

    /// Runs a system call that must not block; `EAGAIN` is an error here.
    static func call<T: BinaryInteger>(_ name: String, detail: String = "", _ body: () -> T) throws -> T {
        guard case .done(let value) = try syscall(name, detail: detail, body) else {
            throw SocketError(.system(errno: EAGAIN), call: name, detail: detail)
        }
        return value
    }

    /// Creates a non-blocking, close-on-exec TCP socket of `family`.
    static func makeTCP(family: Int32) throws -> Socket {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        return Socket(fd: try call("socket") { Glibc.socket(family, type, 0) })
    }

    /// Creates a connected pair of non-blocking Unix stream sockets (for tests and in-process plumbing).
    public static func makeNonBlockingPair() throws -> (Socket, Socket) {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        _ = try call("socketpair") { socketpair(AF_UNIX, type, 0, &fds) }
        return (Socket(fd: fds[0]), Socket(fd: fds[1]))
    }

    /// Sets an integer socket option.
    func setOption(level: Int32, name: Int32, value: Int32) throws {
        var value = value
        _ = try Socket.call("setsockopt") { setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) }
    }

    /// Reads up to `maxCount` bytes; an empty array means the peer closed.
    public func read(maxCount: Int) throws -> SyscallResult<[UInt8]> {
        var outcome: SyscallResult<Int> = .wouldBlock
        var failure: (any Error)?
        let bytes = [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, count in
            do {
                outcome = try Socket.syscall("read") { Glibc.recv(fd, buffer.baseAddress, maxCount, 0) }
            } catch {
                failure = error
            }
            if case .done(let read) = outcome { count = read } else { count = 0 }
        }
        if let failure { throw failure }
        if case .done = outcome { return .done(bytes) }
        return .wouldBlock
    }

    /// Writes as much of `bytes` as the kernel takes now, without raising SIGPIPE; returns how many.
    public func write(_ bytes: ArraySlice<UInt8>) throws -> SyscallResult<Int> {
        try bytes.withUnsafeBytes { buffer in
            try Socket.syscall("write") { Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// Shuts down both directions, waking every reader and writer; the descriptor stays open.
    public func shutdown() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Closes the descriptor.
    public func close() {
        _ = Glibc.close(fd)
    }
}
