import HTTP
import TestSupport
import Testing

@Suite struct HTTP2DrainTests {
    @Test func aStreamOpenedAfterTheShutdownNoticeIsStillServed() async throws {
        let drain = DrainSignal()
        let (client, server) = MemoryStream.makePair()
        let task = Task {
            await serveHTTP2(stream: server, limits: HTTPServerLimits(), drain: drain) { _ in
                drain.drain()
                try? await Task.sleep(for: .milliseconds(100))
                return HTTPResponse(status: 200, body: Array("done".utf8))
            }
        }
        try await client.write(
            RawFrame.preface + RawFrame.frame(type: 1, flags: 0x05, stream: 1, RawFrame.getBlock)
                + RawFrame.frame(type: 1, flags: 0x05, stream: 3, RawFrame.getBlock), deadline: nil)
        let read = { try await client.read(maxCount: 65536, deadline: .now + .seconds(60)) }
        var output = try await RawFrame.read(until: { $0.contains { $0.goAway != nil } && $0.contains { $0.type == 6 } }, from: read)
        let ping = try #require(RawFrame.frames(in: output).first { $0.type == 6 })
        // A stream the client opened before it read the notice, then the PING's acknowledgement.
        try await client.write(
            RawFrame.frame(type: 1, flags: 0x05, stream: 5, RawFrame.getBlock) + RawFrame.frame(type: 6, flags: 0x01, stream: 0, ping.payload),
            deadline: nil)
        output = try await RawFrame.read(after: output, until: { _ in false }, from: read)
        await task.value
        let frames = RawFrame.frames(in: output)
        #expect(frames.filter { $0.type == 1 }.map(\.stream).sorted() == [1, 3, 5])
        #expect(!frames.contains { $0.type == 3 }, "no stream was reset")
        let goAways = frames.compactMap(\.goAway)
        #expect(goAways.count == 2)
        #expect(goAways.first.map { $0 == (0x7FFF_FFFF, 0) } == true, "first a shutdown notice: \(goAways)")
        #expect(goAways.last.map { $0 == (5, 0) } == true, "then the final GOAWAY: \(goAways)")
    }
}
