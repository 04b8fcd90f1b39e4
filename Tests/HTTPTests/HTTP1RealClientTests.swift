import Foundation
import HTTP
import TestSupport
import Testing

@Suite(.tags(.integration)) struct HTTP1RealClientTests {
    @Test func curlReusesTheConnectionAndGets413ForAnOversizedBody() async throws {
        let listener = try await TestListener { await serveHTTP1(stream: $0, limits: HTTPServerLimits(), drain: DrainSignal(), handler: echo) }
        defer { listener.stop() }
        let base = "http://127.0.0.1:\(listener.port)"
        let twice = try await run("curl", ["-sS", "-v", "--http1.1", "\(base)/a", "\(base)/b"])
        #expect(twice.stdout == "GET /a GET /b ")
        #expect(twice.stderr.contains("Re-using existing connection"), "\(twice.stderr)")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tg-h1-body-\(UUID().uuidString)")
        try Data(count: 7 * 1024 * 1024 + 1).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let over = try await run("curl", ["-sS", "--http1.1", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@\(file.path)", "\(base)/v"])
        #expect(over.stdout == "413", "\(over.stderr)")
    }

    @Test func h2loadOverHTTP1KeepAliveHasNoFailures() async throws {
        let listener = try await TestListener { await serveHTTP1(stream: $0, limits: HTTPServerLimits(), drain: DrainSignal(), handler: echo) }
        defer { listener.stop() }
        let body = FileManager.default.temporaryDirectory.appendingPathComponent("tg-h1-review-\(UUID().uuidString)")
        try Data(repeating: UInt8(ascii: "x"), count: 4000).write(to: body)
        defer { try? FileManager.default.removeItem(at: body) }
        let result = try await run("h2load", ["--h1", "-n", "600", "-c", "4", "-m", "2", "-d", body.path, "http://127.0.0.1:\(listener.port)/validate"])
        #expect(result.stdout.contains("600 succeeded, 0 failed, 0 errored"), "\(result.stdout)")
        #expect(result.stdout.contains("status codes: 600 2xx"))
    }
}
