import Foundation
import TLS
import TestSupport
import Testing

/// The first captured AdmissionReview and its `request.uid`.
private func review() throws -> (body: [UInt8], uid: String, path: String) {
    let fixture = try #require(try admissionFixtures().first)
    let body = Array(try Data(contentsOf: fixture))
    return (body, try #require(try reviewUID(Data(body), in: "request")), fixture.path)
}

/// An HTTP/1.1 `POST /validate` head for a body of `length` bytes.
private func http1Head(contentLength length: Int) -> [UInt8] {
    Array("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: \(length)\r\n\r\n".utf8)
}

/// Reads what the server sends on `connection` until it closes the connection or the frames satisfy `done`.
private func readFrames(
    _ connection: TLSConnection, after bytes: [UInt8] = [], until done: ([RawFrame.Parsed]) -> Bool = { _ in false }
) async throws -> [UInt8] {
    try await RawFrame.read(after: bytes, until: done) { (try? await connection.read(maxCount: 65536, deadline: .now + .seconds(10))) ?? [] }
}

/// Reads an HTTP/1.1 response until the server closes the connection.
private func readToEnd(_ connection: TLSConnection) async -> String {
    var bytes: [UInt8] = []
    while let more = try? await connection.read(maxCount: 65536, deadline: .now + .seconds(10)), !more.isEmpty { bytes += more }
    return String(decoding: bytes, as: UTF8.self)
}

/// The `response.uid` in the JSON body of an answer.
private func answeredUID(_ body: some Sequence<UInt8>) throws -> String? {
    try reviewUID(Data(body), in: "response")
}

/// Waits until the admission listener refuses new connections; `false` when it still accepts after 5 s.
private func waitUntilRefused(_ server: RunningServer) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < deadline {
        if await !server.acceptsConnections() { return true }
        try await Task.sleep(for: .milliseconds(25))
    }
    return false
}

/// SPEC §6's SIGTERM order through the real binary, with HTTP/2 clients as well as HTTP/1.1.
@Suite(.tags(.integration), .serialized)
struct ShutdownOrderTests {
    @Test func sigtermFailsReadinessKeepsAcceptingForTheDelayThenSendsBothGoAwaysAndExitsZero() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let delay = Duration.seconds(2)
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--shutdown-delay", "2s", "--shutdown-grace", "3s"])
        let (body, uid, path) = try review()
        let h2 = try await server.connect(protocols: ["h2"])
        #expect(h2.negotiatedProtocol == "h2")
        try await h2.write(RawFrame.preface + RawFrame.post(stream: 1, path: "/validate", body: body), deadline: .now + .seconds(5))
        var output = try await readFrames(h2) { RawFrame.isAnswered(1, in: $0) }
        #expect(RawFrame.isOK(1, in: RawFrame.frames(in: output)))

        let signalled = ContinuousClock.now
        server.process.signal(SIGTERM)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await server.healthStatus("/readyz") == "503", "readiness fails at once")
        let during = try await server.curl(["--http1.1", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data-binary", "@\(path)",
            server.url("/validate")])
        #expect(during.stdout == "200", "a new connection during the delay is served: \(during.stderr)")
        try await h2.write(RawFrame.post(stream: 3, path: "/validate", body: body), deadline: .now + .seconds(5))
        output = try await readFrames(h2, after: output) { RawFrame.isAnswered(3, in: $0) }
        #expect(RawFrame.isOK(3, in: RawFrame.frames(in: output)))
        #expect(!RawFrame.frames(in: output).contains { $0.type == 7 }, "no GOAWAY during the delay")
        #expect(ContinuousClock.now - signalled < delay, "all of this happened within the delay")

        output = try await readFrames(h2, after: output) { RawFrame.unansweredPing(in: $0) != nil }
        #expect(ContinuousClock.now - signalled >= delay, "the shutdown notice came after the delay")
        let ping = try #require(RawFrame.unansweredPing(in: RawFrame.frames(in: output)))
        // A stream opened before the client saw the notice is still served; the final GOAWAY then names it.
        try await h2.write(RawFrame.post(stream: 5, path: "/validate", body: body) + RawFrame.pingAck(ping), deadline: .now + .seconds(5))
        output = try await readFrames(h2, after: output)
        let frames = RawFrame.frames(in: output)
        #expect(RawFrame.isOK(5, in: frames) && RawFrame.isAnswered(5, in: frames))
        #expect(try [1, 3, 5].map { try answeredUID(RawFrame.body(of: $0, in: frames)) } == [uid, uid, uid])
        let goAways = frames.compactMap(\.goAway)
        #expect(goAways.map(\.lastStream) == [0x7FFF_FFFF, 5] && goAways.allSatisfy { $0.error == 0 }, "\(goAways)")
        #expect(!frames.contains { $0.type == 3 }, "no stream was reset")
        #expect(await server.process.waitForExit() == 0, "\(server.process.output)")
    }

    @Test func requestsHalfSentWhenTheListenerClosesFinishOverBothProtocols() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--shutdown-delay", "200ms", "--shutdown-grace", "5s"])
        let (body, uid, _) = try review()
        let half = body.count / 2
        let h1 = try await server.connect()
        try await h1.write(http1Head(contentLength: body.count) + body[..<half], deadline: .now + .seconds(5))
        let h2 = try await server.connect(protocols: ["h2"])
        try await h2.write(
            RawFrame.preface + RawFrame.postHeaders(stream: 1, path: "/validate", contentLength: body.count)
                + RawFrame.data(stream: 1, Array(body[..<half]), ends: false), deadline: .now + .seconds(5))
        var output = try await readFrames(h2) { $0.contains { $0.type == 4 } }

        server.process.signal(SIGTERM)
        #expect(try await waitUntilRefused(server), "the listener closed")
        try await h1.write(Array(body[half...]), deadline: .now + .seconds(5))
        let answer = await readToEnd(h1)
        #expect(answer.hasPrefix("HTTP/1.1 200 "), "\(answer)")
        #expect(answer.lowercased().contains("\r\nconnection: close\r\n"), "\(answer)")
        let json = answer.range(of: "\r\n\r\n").map { answer[$0.upperBound...] } ?? ""
        #expect(try answeredUID(Array(json.utf8)) == uid)

        output = try await readFrames(h2, after: output) { RawFrame.unansweredPing(in: $0) != nil }
        let ping = try #require(RawFrame.unansweredPing(in: RawFrame.frames(in: output)))
        try await h2.write(RawFrame.data(stream: 1, Array(body[half...]), ends: true) + RawFrame.pingAck(ping), deadline: .now + .seconds(5))
        output = try await readFrames(h2, after: output)
        let frames = RawFrame.frames(in: output)
        #expect(RawFrame.isOK(1, in: frames) && RawFrame.isAnswered(1, in: frames))
        #expect(try answeredUID(RawFrame.body(of: 1, in: frames)) == uid)
        #expect(frames.compactMap(\.goAway).map(\.lastStream) == [0x7FFF_FFFF, 1])
        #expect(await server.process.waitForExit() == 0, "\(server.process.output)")
    }

    @Test func requestsStillUnfinishedWhenTheGraceEndsAreCutOffAndTheProcessExitsZero() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--shutdown-delay", "100ms", "--shutdown-grace", "1s"])
        let (body, _, _) = try review()
        let h1 = try await server.connect()
        try await h1.write(http1Head(contentLength: body.count) + body[..<(body.count / 2)], deadline: .now + .seconds(5))
        let h2 = try await server.connect(protocols: ["h2"])
        try await h2.write(
            RawFrame.preface + RawFrame.postHeaders(stream: 1, path: "/validate", contentLength: body.count)
                + RawFrame.data(stream: 1, Array(body[..<(body.count / 2)]), ends: false), deadline: .now + .seconds(5))
        _ = try await readFrames(h2) { $0.contains { $0.type == 4 } }

        let signalled = ContinuousClock.now
        server.process.signal(SIGTERM)
        let answer = await readToEnd(h1)
        let cutOff = ContinuousClock.now - signalled
        #expect(answer.isEmpty, "no answer to an unfinished request: \(answer)")
        #expect(cutOff >= .milliseconds(1100) && cutOff < .seconds(5), "cut off \(cutOff) after SIGTERM")
        let frames = RawFrame.frames(in: try await readFrames(h2))
        #expect(!frames.contains { $0.type == 1 && $0.stream == 1 }, "stream 1 was not answered")
        #expect(await server.process.waitForExit() == 0, "\(server.process.output)")
        #expect(ContinuousClock.now - signalled < .seconds(5))
        let warning = server.process.output.split(separator: "\n").first { $0.contains("shutdown grace ran out") }
        #expect(warning?.contains(#""connections":"2""#) == true, "the log names the two connections cut off: \(server.process.output)")
    }
}
