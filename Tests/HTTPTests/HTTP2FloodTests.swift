import HTTP
import Synchronization
import TestSupport
import Testing

@Suite struct HTTP2FloodTests {
    /// How many requests reached the handler, over the suite's runs.
    final class Count: Sendable {
        let value = Atomic(0)
    }
    let handled = Count()

    /// Runs `serveHTTP2` against `attack` and returns the frames the server wrote until it closed the connection or
    /// answered stream `until`; then closes the client side.
    func serverFrames(after attack: [UInt8], until: UInt32? = nil) async throws -> [RawFrame.Parsed] {
        let (client, server) = MemoryStream.makePair()
        let task = Task { [handled] in
            await serveHTTP2(stream: server, limits: HTTPServerLimits(), drain: DrainSignal()) { _ in
                handled.value.add(1, ordering: .relaxed)
                return HTTPResponse(status: 200)
            }
        }
        try await client.write(attack, deadline: nil)
        var output: [UInt8] = []
        while !RawFrame.frames(in: output).contains(where: { $0.type == 1 && $0.stream == until }) {
            let bytes = try await client.read(maxCount: 1 << 20, deadline: .now + .seconds(60))
            if bytes.isEmpty { break }
            output += bytes
        }
        client.close()
        await task.value
        return RawFrame.frames(in: output)
    }

    /// HEADERS then RST_STREAM on `count` streams.
    func resets(_ count: UInt32) -> [UInt8] {
        var attack = RawFrame.preface
        for stream in stride(from: UInt32(1), to: count * 2, by: 2) {
            attack += RawFrame.frame(type: 1, flags: 0x05, stream: stream, RawFrame.getBlock)
            attack += RawFrame.frame(type: 3, flags: 0, stream: stream, [0, 0, 0, 8])
        }
        return attack + RawFrame.frame(type: 1, flags: 0x05, stream: count * 2 + 1, RawFrame.getBlock)
    }

    /// HEADERS without END_HEADERS, `count` empty CONTINUATION frames, then the one that ends the block.
    func continuations(_ count: Int) -> [UInt8] {
        var attack = RawFrame.preface + RawFrame.frame(type: 1, flags: 0x01, stream: 1, RawFrame.getBlock)
        for _ in 0..<count { attack += RawFrame.frame(type: 9, flags: 0, stream: 1, []) }
        return attack + RawFrame.frame(type: 9, flags: 0x04, stream: 1, [])
    }

    @Test func rapidResetPastTheBurstEndsTheConnection() async throws {
        let calm = try await serverFrames(after: resets(200), until: 401)
        #expect(calm.contains { $0.type == 1 && $0.stream == 401 })
        #expect(!calm.contains { $0.type == 7 })
        // Streams reset in the same read as their request cost no handler work: only stream 401 reached it.
        #expect(handled.value.load(ordering: .relaxed) == 1)
        let flood = try await serverFrames(after: resets(2000), until: 4001)
        #expect(!flood.contains { $0.type == 1 && $0.stream == 4001 })
        #expect(flood.compactMap(\.goAway).count == 1)
        #expect(flood.compactMap(\.goAway).allSatisfy { $0.error != 0 })
    }

    @Test func continuationFloodEndsTheConnection() async throws {
        let calm = try await serverFrames(after: continuations(4), until: 1)
        #expect(calm.contains { $0.type == 1 && $0.stream == 1 })
        let flood = try await serverFrames(after: continuations(100), until: 1)
        #expect(!flood.contains { $0.type == 1 && $0.stream == 1 })
    }
}

@Suite struct HTTP2MutationTests {
    @Test func damagedFramesNeverBreakTheServersOwnFraming() async throws {
        let post: [UInt8] = [0x83, 0x86, 0x84, 0x01, 0x01, 0x61, 0x0F, 0x0D, 0x01, 0x35]  // POST / with content-length: 5
        let valid = RawFrame.preface + RawFrame.frame(type: 1, flags: 0x04, stream: 1, post)
            + RawFrame.frame(type: 0, flags: 0x01, stream: 1, Array("hello".utf8))
            + RawFrame.frame(type: 1, flags: 0x05, stream: 3, RawFrame.getBlock)
        var random = SplitMix64(state: 3)
        for round in 0..<300 {
            let damaged = round == 0 ? Array(valid[24...]) : mutate(Array(valid[24...]), using: &random)
            let stream = ScriptedStream([Array(valid[..<24]), damaged])
            await serveHTTP2(stream: stream, limits: HTTPServerLimits(), drain: DrainSignal(), handler: echo)
            let output = stream.outputBytes
            let frames = RawFrame.frames(in: output)
            #expect(frames.first?.type == 4, "the server's SETTINGS come first")
            #expect(frames.reduce(0) { $0 + 9 + $1.payload.count } == output.count, "the server wrote whole frames only")
        }
    }
}
