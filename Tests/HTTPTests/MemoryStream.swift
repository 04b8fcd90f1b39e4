import Foundation
import Locking
import Sockets

/// A read deadline passed, or a write hit a closed in-memory stream.
struct MemoryStreamError: Error {}

/// One direction of an in-memory connection: bytes written wait here until read.
final class MemoryPipe: Sendable {
    private struct State {
        /// Written chunks not yet read, and how far the first one was read.
        var chunks: [[UInt8]] = []
        var offset = 0
        var closed = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Locked(State())

    /// Queues `bytes` for the reader; `false` when the pipe is closed.
    func write(_ bytes: [UInt8]) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !state.closed else { return (false, nil) }
            if !bytes.isEmpty { state.chunks.append(bytes) }
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        waiter?.resume()
        return accepted
    }

    /// Ends the pipe: the reader gets what is queued, then end of stream.
    func close() {
        let waiter = state.withLock { state in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8] {
        while true {
            let taken: [UInt8]? = state.withLock { state in
                if let first = state.chunks.first {
                    let count = min(maxCount, first.count - state.offset)
                    defer {
                        state.offset += count
                        if state.offset == first.count {
                            state.chunks.removeFirst()
                            state.offset = 0
                        }
                    }
                    return Array(first[state.offset..<state.offset + count])
                }
                return state.closed ? [] : nil
            }
            if let taken { return taken }
            guard let deadline else {
                await waitForBytes()
                continue
            }
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { await self.waitForBytes(); return true }
                group.addTask { try? await Task.sleep(until: deadline); return false }
                let woke = try await group.next()!
                group.cancelAll()
                if !woke { throw MemoryStreamError() }
            }
        }
    }

    private func waitForBytes() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state in
                    if !state.chunks.isEmpty || state.closed || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}

/// One end of an in-memory connection, as a ``ByteStream``.
final class MemoryStream: ByteStream {
    let inbound: MemoryPipe
    let outbound: MemoryPipe

    init(inbound: MemoryPipe, outbound: MemoryPipe) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Two connected ends: what one writes, the other reads.
    static func makePair() -> (MemoryStream, MemoryStream) {
        let forward = MemoryPipe(), backward = MemoryPipe()
        return (MemoryStream(inbound: forward, outbound: backward), MemoryStream(inbound: backward, outbound: forward))
    }

    func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8] {
        try await inbound.read(maxCount: maxCount, deadline: deadline)
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) async throws {
        guard outbound.write(bytes) else { throw MemoryStreamError() }
    }

    func close() {
        inbound.close()
        outbound.close()
    }

    /// Writes a string.
    func send(_ text: String) async throws {
        try await write(Array(text.utf8), deadline: nil)
    }

    /// Reads until the peer closes, or throws at `deadline`.
    func readToEnd(deadline: ContinuousClock.Instant = .now + .seconds(60)) async throws -> String {
        var all: [UInt8] = []
        while true {
            let bytes = try await read(maxCount: 65536, deadline: deadline)
            if bytes.isEmpty { return String(decoding: all, as: UTF8.self) }
            all += bytes
        }
    }

    /// Reads until `count` responses (heads ending in an empty line, plus `Content-Length` bodies) have arrived.
    func readResponses(_ count: Int, deadline: ContinuousClock.Instant = .now + .seconds(60)) async throws -> String {
        var all: [UInt8] = []
        while responseCount(in: String(decoding: all, as: UTF8.self)) < count {
            let bytes = try await read(maxCount: 65536, deadline: deadline)
            if bytes.isEmpty { break }
            all += bytes
        }
        return String(decoding: all, as: UTF8.self)
    }

    private func responseCount(in text: String) -> Int {
        var rest = Substring(text)
        var found = 0
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.lowerBound]
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let bodyStart = headEnd.upperBound
            guard rest.utf8.distance(from: bodyStart, to: rest.endIndex) >= length else { break }
            rest = rest[rest.utf8.index(bodyStart, offsetBy: length)...]
            found += 1
        }
        return found
    }
}

/// A stream that hands out scripted pieces, one per read, then end of stream; it records what is written.
final class ScriptedStream: ByteStream {
    private let pieces: Locked<[[UInt8]]>
    private let written = Locked<[UInt8]>([])

    init(_ pieces: [[UInt8]]) {
        self.pieces = Locked(pieces)
    }

    /// Everything written so far.
    var outputBytes: [UInt8] { written.withLock { $0 } }

    /// Everything written so far, as text.
    var output: String { String(decoding: outputBytes, as: UTF8.self) }

    func read(maxCount: Int, deadline: ContinuousClock.Instant?) async throws -> [UInt8] {
        pieces.withLock { pieces in
            guard !pieces.isEmpty else { return [] }
            if pieces[0].count <= maxCount { return pieces.removeFirst() }
            defer { pieces[0].removeFirst(maxCount) }
            return Array(pieces[0].prefix(maxCount))
        }
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) async throws {
        written.withLock { $0 += bytes }
    }

    func close() {}
}
