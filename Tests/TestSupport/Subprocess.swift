public import Foundation

/// The outcome of a finished child process.
public struct ProcessResult: Sendable {
    /// The exit status, or 128 + signal number when a signal ended it.
    public var status: Int32
    /// Everything the process wrote to standard output.
    public var stdout: String
    /// Everything the process wrote to standard error.
    public var stderr: String
}

/// Runs a program to completion, off the cooperative pool, and returns what it printed.
///
/// - Parameters:
///   - executable: A program name looked up on `PATH`, or a path.
///   - arguments: Its arguments.
///   - input: Bytes written to its standard input, which is then closed.
///   - environment: Variables added to this process's environment.
///   - directory: The working directory; the package root when `nil`.
public func run(
    _ executable: String,
    _ arguments: [String] = [],
    input: [UInt8] = [],
    environment: [String: String] = [:],
    directory: URL? = nil
) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.currentDirectoryURL = directory ?? packageRoot
    // Output goes to files, so that a chatty child never blocks on a full pipe.
    let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("tg-out-\(UUID().uuidString)")
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("tg-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outputFile)
        try? FileManager.default.removeItem(at: errorFile)
    }
    let stdin = Pipe()
    process.standardOutput = try FileHandle(forWritingTo: outputFile)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardInput = stdin
    try process.run()
    // The blocking write and wait run on a thread of their own, never on the cooperative pool.
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        Thread.detachNewThread {
            // A child that exits without reading its input must not take the test run down with SIGPIPE or EPIPE.
            signal(SIGPIPE, SIG_IGN)
            try? stdin.fileHandleForWriting.write(contentsOf: Data(input))
            try? stdin.fileHandleForWriting.close()
            process.waitUntilExit()
            continuation.resume()
        }
    }
    let signalled = process.terminationReason == .uncaughtSignal
    return ProcessResult(
        status: signalled ? 128 + process.terminationStatus : process.terminationStatus,
        stdout: String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self),
        stderr: String(decoding: (try? Data(contentsOf: errorFile)) ?? Data(), as: UTF8.self)
    )
}
