@testable import Kube
import Testing

struct WatchLineDecoderTests {
    /// Feeds the captured watch body (23a: ADDED, MODIFIED, MODIFIED, DELETED, BOOKMARK, BOOKMARK) in pieces of every size.
    @Test(arguments: [1, 7, 100, 2048, 100_000])
    func eventsSpanChunks(pieceSize: Int) throws {
        let body = try Fixture("23a-").body
        var decoder = WatchLineDecoder(maxLineBytes: 1 << 20, request: "GET watch")
        var events: [WatchEvent] = []
        for start in stride(from: 0, to: body.count, by: pieceSize) {
            decoder.append(Array(body[start..<min(body.count, start + pieceSize)]))
            while let event = try decoder.next() { events.append(event) }
        }
        #expect(events.map(\.type) == [.added, .modified, .modified, .deleted, .bookmark, .bookmark])
        #expect(events.map(\.resourceVersion) == ["231", "232", "233", "234", "234", "234"])
        #expect(events[0].object["metadata", "name"]?.stringValue == "watch-demo-2")
        #expect(events[4].object["metadata", "name"] == nil)
        #expect(!decoder.hasPartialEvent)
    }

    @Test func errorEventBecomesGone() throws {
        var decoder = WatchLineDecoder(maxLineBytes: 1 << 20, request: "GET watch")
        decoder.append(try Fixture("32-").body)
        let error = try #require(throws: KubeError.self) { try decoder.next() }
        #expect(error.kind == .gone)
        #expect(error.statusCode == 410)
        #expect(error.detail == "too old resource version: 1 (174)")
        #expect(error.isTemporary)
    }

    @Test func boundedBuffer() throws {
        var decoder = WatchLineDecoder(maxLineBytes: 64, request: "GET watch")
        decoder.append(Array(repeating: UInt8(ascii: "x"), count: 65))
        #expect(throws: KubeError.self) { try decoder.next() }
    }

    /// Found by fuzz-watch-events: a line over the limit was decoded when it arrived whole with its line break.
    @Test func lineOverTheLimitIsRefusedWhenItArrivesWhole() throws {
        let event = Array(#"{"type":"ADDED","object":{"metadata":{"name":"\#(String(repeating: "x", count: 64))"}}}"#.utf8) + [0x0A]
        var whole = WatchLineDecoder(maxLineBytes: 64, request: "GET watch")
        whole.append(event)
        #expect(throws: KubeError.self) { try whole.next() }
        var fitting = WatchLineDecoder(maxLineBytes: event.count - 1, request: "GET watch")
        fitting.append(event)
        #expect(try fitting.next()?.type == .added)
    }

    @Test func partialEventAtTheEndIsReported() throws {
        var decoder = WatchLineDecoder(maxLineBytes: 1 << 20, request: "GET watch")
        decoder.append(Array(#"{"type":"ADDED","object":{"metadata":{"#.utf8))
        #expect(try decoder.next() == nil)
        #expect(decoder.hasPartialEvent)
    }
}
