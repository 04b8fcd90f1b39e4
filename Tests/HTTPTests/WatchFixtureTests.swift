import Foundation
import HTTP
import TestSupport
import Testing

/// A watch response captured from a real kube-apiserver, rebuilt into its wire bytes, with the de-chunked body it must give.
struct CapturedWatch {
    var wire: String
    var body: String

    /// Reads `kube-api/<name>.txt`: the response head, the raw chunked bytes read by read (each read's size is given;
    /// a literal `\r\n` and the line break after it stand for CRLF), and the de-chunked body.
    init(_ name: String) throws {
        let text = try String(contentsOf: fixturesRoot.appendingPathComponent("kube-api/\(name).txt"), encoding: .utf8)
        let response = text.components(separatedBy: "=== RESPONSE ===\n")[1]
        let parts = response.components(separatedBy: "\n--- raw body bytes")
        let head = parts[0].trimmingCharacters(in: .newlines).split(separator: "\n").joined(separator: "\r\n") + "\r\n\r\n"
        let sections = parts[1].components(separatedBy: "\n--- de-chunked body: one watch event JSON per line ---\n")
        let reads = try Regex(#"\n\[\+[0-9.]+s, ([0-9]+) bytes\]\n"#)
        var raw = ""
        let matches = sections[0].matches(of: reads)
        for (index, match) in matches.enumerated() {
            let end = index + 1 < matches.count ? matches[index + 1].range.lowerBound : sections[0].endIndex
            var piece = String(sections[0][match.range.upperBound..<end]).replacingOccurrences(of: "\\r\\n\n", with: "\r\n")
            if piece.hasSuffix("\\r\\n") { piece = piece.dropLast(4) + "\r\n" }
            let size = Int(match.output[1].substring!)!
            if piece.utf8.count == size + 1 && piece.hasSuffix("\n") { piece.removeLast() }
            guard piece.utf8.count == size else { throw FixtureError(detail: "\(name): read \(index) has \(piece.utf8.count) bytes, not \(size)") }
            raw += piece
        }
        wire = head + raw
        let lines = sections[1].components(separatedBy: "\n\n")[0].split(separator: "\n").dropFirst()
        body = lines.map { $0 + "\n" }.joined()
    }
}

/// A fixture file did not have the expected shape.
struct FixtureError: Error {
    var detail: String
}

@Suite struct WatchFixtureTests {
    @Test(arguments: ["23a-watch-nvj-from-list-rv-bookmarks", "23b-watch-nvj-empty-resourceversion", "32-watch-nvj-too-old-rv-410"])
    func capturedWatchesDecodeTheSameHoweverTheyAreSplit(name: String) async throws {
        let watch = try CapturedWatch(name)
        #expect(!watch.body.isEmpty)
        for seed in 0..<25 {
            let connection = HTTP1ClientConnection(stream: ScriptedStream(randomPieces(watch.wire, seed: UInt64(seed))))
            let response = try await connection.send(getRequest, deadline: nil)
            #expect(response.status == 200)
            #expect(response.headers["transfer-encoding"] == "chunked")
            var body: [UInt8] = []
            for try await piece in response.body {
                #expect(piece.count <= 64 * 1024)
                body += piece
            }
            #expect(String(decoding: body, as: UTF8.self) == watch.body, "seed \(seed)")
            #expect(connection.isReusable)
        }
    }
}
