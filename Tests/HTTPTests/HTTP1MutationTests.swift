import HTTP
import TestSupport
import Testing

/// Damages `bytes` at random: flips, inserts framing characters, drops and cuts, as a hostile or broken peer would.
func mutate(_ bytes: [UInt8], using random: inout SplitMix64) -> [UInt8] {
    var out = bytes
    let specials: [UInt8] = Array("\r\n :;0fF-\t\u{7F}\u{0}".utf8) + [0x80, 0xFF]
    for _ in 0..<Int.random(in: 1...4, using: &random) where !out.isEmpty {
        let index = Int.random(in: 0..<out.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0: out[index] = specials.randomElement(using: &random)!
        case 1: out.insert(specials.randomElement(using: &random)!, at: index)
        case 2: out.remove(at: index)
        default: out = Array(out[..<index])
        }
    }
    return out
}

@Suite struct HTTP1MutationTests {
    static let request = Array(("POST /validate?timeout=10s HTTP/1.1\r\nHost: 127.0.0.1:9443\r\nUser-Agent: kube-apiserver-admission\r\n"
        + "Content-Length: 5\r\nAccept: application/json, */*\r\nContent-Type: application/json\r\n\r\nhello"
        + "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n").utf8)

    @Test func damagedRequestsGetAnAnswerOrAClose() async throws {
        var random = SplitMix64(state: 7)
        var limits = HTTPServerLimits()
        limits.maxHeaderLineBytes = 64
        limits.maxBodyBytes = 8
        for _ in 0..<1500 {
            let damaged = mutate(Self.request, using: &random)
            let stream = ScriptedStream(randomPieces(String(decoding: damaged, as: UTF8.self), seed: random.next()))
            await serveHTTP1(stream: stream, limits: limits, drain: DrainSignal(), handler: echo)
            let output = stream.output
            #expect(output.isEmpty || output.hasPrefix("HTTP/1.1 "), "\(damaged)")
        }
    }

    @Test func damagedResponsesGiveAResponseOrATypedError() async throws {
        let response = Array(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;e=1\r\nhello\r\n0\r\nX: y\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").utf8)
        var random = SplitMix64(state: 11)
        for _ in 0..<1500 {
            let damaged = mutate(response, using: &random)
            let connection = HTTP1ClientConnection(stream: ScriptedStream(randomPieces(String(decoding: damaged, as: UTF8.self), seed: random.next())))
            do {
                for _ in 0..<2 {
                    let answer = try await connection.send(getRequest, deadline: nil)
                    #expect((100..<1000).contains(answer.status))
                    _ = try await answer.collect(upTo: 1 << 16)
                }
            } catch {
                #expect(error is HTTPClientError, "\(error)")
            }
        }
    }
}
