import Foundation
import TestSupport
import Testing

/// A slow review (see ``slowReviewText(count:)``) in a file, for curl.
private func slowReview(count: Int) throws -> (file: URL, uid: String) {
    let (body, uid) = try slowReviewText(count: count)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tg-slow-review-\(UUID().uuidString).json")
    try Data(body.utf8).write(to: file)
    return (file, uid)
}

/// `serve --max-inflight N` through the binary.
///
/// The limiter counts admission decisions only: a request enters it once its body has arrived, and leaves when the
/// decision is made. A request whose body is still arriving does not count, so the bound cannot be filled by holding
/// bodies open; it is reached by decisions that overlap, which this test makes long and runs in parallel.
@Suite(.tags(.integration), .serialized)
struct InFlightBoundTests {
    @Test func decisionsPastTheBoundGet429WithRetryAfterWhileHalfSentBodiesDoNotCount() async throws {
        let certificates = try await CertificateDirectory.make()
        defer { certificates.remove() }
        let server = try await RunningServer(certificates: certificates, extraArguments: ["--max-inflight", "1"])
        let fixture = try #require(try admissionFixtures().first)

        let held = try await server.connect()
        try await held.write(Array("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3000\r\n\r\n{\"kind\"".utf8), deadline: .now + .seconds(5))
        let beside = try await server.curl(["-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data-binary", "@\(fixture.path)", server.url("/validate")])
        #expect(beside.stdout == "200", "a half-sent body does not take the only slot")

        let (review, uid) = try slowReview(count: 400_000)
        defer { try? FileManager.default.removeItem(at: review) }
        let answers = FileManager.default.temporaryDirectory.appendingPathComponent("tg-429-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: answers) }
        let parallel = try await server.curl([
            "--http1.1", "--parallel", "--parallel-immediate", "--parallel-max", "6", "-H", "Expect:", "-X", "POST",
            "--data-binary", "@\(review.path)", "--create-dirs", "--output-dir", answers.path, "-o", "answer-#1",
            "-w", "%{http_code} %header{retry-after}\n", server.url("/validate?[1-6]"),
        ])
        let codes = parallel.stdout.split(separator: "\n").map(String.init)
        #expect(codes.count == 6, "\(parallel.stdout) \(parallel.stderr)")
        #expect(codes.contains("429 1"), "some decisions overlapped past the bound: \(codes)")
        #expect(codes.contains("200 "), "\(codes)")
        #expect(codes.allSatisfy { $0 == "429 1" || $0 == "200 " }, "\(codes)")
        for index in 1...6 {
            let body = try Data(contentsOf: answers.appendingPathComponent("answer-\(index)"))
            let text = String(decoding: body, as: UTF8.self)
            if text.hasPrefix("{") {
                #expect(try reviewUID(body, in: "response") == uid)
            } else {
                #expect(text == "too many admission requests in flight; retry in a second\n")
            }
        }
        held.close()
    }
}
