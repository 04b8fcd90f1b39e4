public import Foundation
import Locking

/// A long-running child process (the server under test, a fake API server), stopped when the test is done.
public final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    /// Where the child's standard output and standard error go.
    public let logFile: URL

    /// Starts `executable` with `arguments`; output goes to ``logFile``.
    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("tg-child-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = packageRoot
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The child's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Whether the child is still running.
    public var isRunning: Bool { process.isRunning }

    /// What the child has printed so far.
    public var output: String {
        String(decoding: (try? Data(contentsOf: logFile)) ?? Data(), as: UTF8.self)
    }

    /// Sends `signal` (SIGTERM by default) to the child.
    public func signal(_ signal: Int32 = SIGTERM) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the child to exit, on a thread of its own, and returns its exit status (128 + signal when killed).
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [process] in
                process.waitUntilExit()
                let signalled = process.terminationReason == .uncaughtSignal
                continuation.resume(returning: signalled ? 128 + process.terminationStatus : process.terminationStatus)
            }
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: logFile)
    }
}

/// Ports `freePort()` has handed out in this process.
private let handedOut = Locked<Set<UInt16>>([])

/// A TCP port on 127.0.0.1 that was free a moment ago, and never handed out before in this process: the kernel may give
/// the same free port to two probes in a row, and a server given one port twice fails to bind its second listener.
public func freePort() -> UInt16 {
    while true {
        let port = probeFreePort()
        if handedOut.withLock({ $0.insert(port).inserted }) { return port }
    }
}

private func probeFreePort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            _ = bind(fd, generic, length)
            _ = getsockname(fd, generic, &length)
        }
    }
    return UInt16(bigEndian: address.sin_port)
}

/// Waits until something accepts TCP connections on 127.0.0.1:`port`, or throws after `timeout`.
public func waitForPort(_ port: UInt16, timeout: Duration = .seconds(20)) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        close(fd)
        if connected { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw PortTimeout(port: port)
}

/// Nothing listened on a port in time.
public struct PortTimeout: Error, CustomStringConvertible {
    /// The port that stayed closed.
    public var port: UInt16
    public var description: String { "nothing listened on 127.0.0.1:\(port) in time" }
}
