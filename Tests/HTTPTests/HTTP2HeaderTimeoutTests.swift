import HTTP
import Sockets
import TestSupport
import Testing

/// Limits with a header read timeout of 1 s.
private let shortHeaderTimeout: HTTPServerLimits = {
    var limits = HTTPServerLimits()
    limits.headerReadTimeout = .seconds(1)
    return limits
}()

/// What a stalling client sends before it stalls.
enum StalledStart: String, CaseIterable, CustomTestStringConvertible {
    case nothing, preface, headersWithoutEndHeaders, halfAHeadersFrame

    var bytes: [UInt8] {
        switch self {
        case .nothing: []
        case .preface: RawFrame.preface
        case .headersWithoutEndHeaders: RawFrame.preface + RawFrame.frame(type: 1, flags: 0x01, stream: 1, RawFrame.getBlock)
        case .halfAHeadersFrame: RawFrame.preface + RawFrame.frame(type: 1, flags: 0x05, stream: 1, RawFrame.getBlock).dropLast(3)
        }
    }

    var testDescription: String { rawValue }
}

@Suite(.tags(.integration)) struct HTTP2HeaderTimeoutTests {
    @Test(arguments: StalledStart.allCases)
    func aClientStallingBeforeItsHeadersAreCompleteIsDroppedWhileOthersAreServed(_ start: StalledStart) async throws {
        try await withHTTP2Server(limits: shortHeaderTimeout, handler: http2Handler) { listener in
            let stalled = try await AsyncSocket.connect(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(5))
            defer { stalled.close() }
            try await stalled.write(start.bytes, deadline: .now + .seconds(5))
            let started = ContinuousClock.now

            let served = try await run("curl", ["-sS", "--http2-prior-knowledge", "http://127.0.0.1:\(listener.port)/other"])
            #expect(served.stdout.hasPrefix("GET /other"), "\(served.stderr)")

            let output = try await RawFrame.read(until: { _ in false }) {
                (try? await stalled.read(maxCount: 65536, deadline: .now + .seconds(8))) ?? []
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(5), "dropped after \(elapsed)")
            #expect(!RawFrame.frames(in: output).contains { $0.type == 1 }, "no request was answered")
        }
    }

    @Test func eachHeaderBlockGetsTheTimeoutAndAnIdleConnectionIsKept() async throws {
        try await withHTTP2Server(limits: shortHeaderTimeout, handler: http2Handler) { listener in
            let client = try await AsyncSocket.connect(host: "127.0.0.1", port: listener.port, deadline: .now + .seconds(5))
            defer { client.close() }
            let read = { try await client.read(maxCount: 65536, deadline: .now + .seconds(8)) }
            let pause = Duration.milliseconds(600)
            try await client.write(RawFrame.preface, deadline: .now + .seconds(5))
            try await Task.sleep(for: pause)
            // A block that begins 0.6 s after the connection opened and ends 0.6 s after it began: 1.2 s in all.
            try await client.write(RawFrame.frame(type: 1, flags: 0x01, stream: 1, Array(RawFrame.getBlock.prefix(3))), deadline: nil)
            try await Task.sleep(for: pause)
            try await client.write(RawFrame.frame(type: 9, flags: 0x04, stream: 1, Array(RawFrame.getBlock.dropFirst(3))), deadline: nil)
            var output = try await RawFrame.read(until: { $0.contains { $0.type == 0 && $0.stream == 1 } }, from: read)
            // Idle for longer than the header read timeout between requests.
            try await Task.sleep(for: .milliseconds(1500))
            try await client.write(RawFrame.frame(type: 1, flags: 0x05, stream: 3, RawFrame.getBlock), deadline: nil)
            output = try await RawFrame.read(after: output, until: { $0.contains { $0.type == 0 && $0.stream == 3 } }, from: read)
            let frames = RawFrame.frames(in: output)
            #expect(frames.filter { $0.type == 1 }.map(\.stream) == [1, 3])
            #expect(!frames.contains { $0.type == 7 }, "no GOAWAY")
        }
    }
}
