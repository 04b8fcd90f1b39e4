import Foundation
import HTTP
import Synchronization
import TestSupport
import Testing

/// Serves HTTP/2 on a test listener for the length of `body`.
func withHTTP2Server(
    limits: HTTPServerLimits = HTTPServerLimits(), drain: DrainSignal = DrainSignal(), handler: @escaping HTTPHandler,
    _ body: (TestListener) async throws -> Void
) async throws {
    let listener = try await TestListener { await serveHTTP2(stream: $0, limits: limits, drain: drain, handler: handler) }
    defer { listener.stop() }
    try await body(listener)
}

/// The 1 MiB body of `/big`: a pattern, so that a misplaced frame shows.
let bigBody: [UInt8] = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 * 7) }

/// Answers `/big` with 1 MiB, `/slow` after 50 ms, anything else by echoing method, path, host and body size.
@Sendable func http2Handler(_ request: HTTPRequest) async -> HTTPResponse {
    switch request.path {
    case "/big":
        return HTTPResponse(status: 200, body: bigBody)
    case "/slow":
        try? await Task.sleep(for: .milliseconds(50))
        return HTTPResponse(status: 200, body: Array("slow".utf8))
    default:
        let host = request.headers["host"] ?? "-"
        let text = "\(request.method) \(request.target) \(host) \(request.body.count) \(request.version == .http2)"
        return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain", "Connection": "keep-alive"], body: Array(text.utf8))
    }
}

@Suite(.tags(.integration)) struct HTTP2ServerTests {
    @Test func curlPostsWithPriorKnowledge() async throws {
        try await withHTTP2Server(handler: http2Handler) { listener in
            let result = try await run("curl", [
                "-sS", "--http2-prior-knowledge", "--data-binary", "hello", "-D", "-",
                "http://127.0.0.1:\(listener.port)/validate?x=1",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("HTTP/2 200 \r\n"))
            #expect(result.stdout.contains("\r\ncontent-type: text/plain\r\n"))
            let expected = "POST /validate?x=1 127.0.0.1:\(listener.port) 5 true"
            #expect(result.stdout.contains("\r\ncontent-length: \(expected.utf8.count)\r\n"))
            #expect(!result.stdout.contains("connection:"))
            #expect(result.stdout.hasSuffix("\r\n\r\n" + expected))
        }
    }

    @Test func bodyOverTheLimitGets413() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tg-h2-body-\(UUID().uuidString)")
        try Data(count: 7 * 1024 * 1024 + 1).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await withHTTP2Server(handler: http2Handler) { listener in
            let url = "http://127.0.0.1:\(listener.port)/validate"
            let over = try await run("curl", ["-sS", "-v", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}",
                "--data-binary", "@\(file.path)", url])
            #expect(over.stdout == "413", "\(over.stderr)")
            let chunked = try await run("curl", ["-s", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}",
                "-H", "Transfer-Encoding: chunked", "--data-binary", "@\(file.path)", url])
            #expect(chunked.stdout == "413")
            try Data(count: 7 * 1024 * 1024).write(to: file)
            let limit = try await run("curl", ["-s", "--http2-prior-knowledge", "--data-binary", "@\(file.path)", url])
            #expect(limit.stdout.hasSuffix(" \(7 * 1024 * 1024) true"))
        }
    }

    @Test func headerListOverTheLimitGets431() async throws {
        try await withHTTP2Server(handler: http2Handler) { listener in
            let big = String(repeating: "v", count: 40 * 1024)
            let result = try await run("curl", ["-s", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}",
                "-H", "X-Big: \(big)", "http://127.0.0.1:\(listener.port)/"])
            #expect(result.stdout == "431")
        }
    }

    @Test func manyConcurrentStreamsAreHandledInParallel() async throws {
        let running = Atomic<Int>(0), peak = Atomic<Int>(0)
        let handler: HTTPHandler = { request in
            let now = running.add(1, ordering: .relaxed).newValue
            peak.max(now, ordering: .relaxed)
            defer { running.subtract(1, ordering: .relaxed) }
            return await http2Handler(request)
        }
        try await withHTTP2Server(handler: handler) { listener in
            let result = try await run("h2load", ["-n", "400", "-c", "2", "-m", "100", "http://127.0.0.1:\(listener.port)/slow"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("400 succeeded, 0 failed, 0 errored"), "\(result.stdout)")
        }
        let most = peak.load(ordering: .relaxed)
        #expect(most >= 50, "at most \(most) handlers ran at once over 2 connections of 100 streams")
    }

    @Test func largeResponsesFlowThroughSmallWindows() async throws {
        try await withHTTP2Server(handler: http2Handler) { listener in
            let url = "http://127.0.0.1:\(listener.port)/big"
            let result = try await run("h2load", ["-n", "4", "-c", "1", "-m", "4", "-w", "14", "-W", "15", url])
            #expect(result.stdout.contains("4 succeeded, 0 failed, 0 errored"), "\(result.stdout)")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("tg-h2-big-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: file) }
            let curl = try await run("curl", ["-sS", "--http2-prior-knowledge", "-o", file.path, url])
            #expect(curl.status == 0, "\(curl.stderr)")
            let body = try Data(contentsOf: file)
            #expect([UInt8](body) == bigBody)
        }
    }

    @Test func drainAnnouncesShutdownAndClosesWhenTheStreamsFinish() async throws {
        let drain = DrainSignal()
        try await withHTTP2Server(drain: drain, handler: { request in
            drain.drain()
            return await http2Handler(request)
        }) { listener in
            let result = try await run("nghttp", ["-v", "http://127.0.0.1:\(listener.port)/slow"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("recv SETTINGS frame"))
            #expect(result.stdout.contains("[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):100]"))
            #expect(result.stdout.contains("[SETTINGS_INITIAL_WINDOW_SIZE(0x04):1048576]"))
            #expect(result.stdout.contains("[SETTINGS_MAX_HEADER_LIST_SIZE(0x06):32768]"))
            #expect(result.stdout.contains("recv GOAWAY frame"), "\(result.stdout)")
            #expect(result.stdout.contains("(last_stream_id=2147483647, error_code=NO_ERROR(0x00)"))
            #expect(result.stdout.contains("\nslow"))
            let deadline = ContinuousClock.now + .seconds(30)
            while listener.finishedConnections < 1 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(listener.finishedConnections == 1)
        }
    }
}
