import Kube
import Foundation
import Reconciler
import TestSupport
import Testing

/// The request of a captured exchange in `fixtures/kube-api/`: what a real API server was sent.
struct CapturedRequest {
    var method: String
    var path: String
    var contentType: String?
    var body: String?

    /// Reads the `=== REQUEST ===` part of the fixture whose name starts with `prefix`.
    init(_ prefix: String) throws {
        let folder = fixturesRoot.appendingPathComponent("kube-api")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix(prefix + "-") })
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        let request = try #require(text.components(separatedBy: "=== REQUEST ===\n").dropFirst().first?.components(separatedBy: "=== RESPONSE ===").first)
        let parts = request.components(separatedBy: "\n\n")
        let head = parts[0].split(separator: "\n").map(String.init)
        let line = head[0].split(separator: " ")
        method = String(line[0])
        path = String(line[1])
        contentType = head.first { $0.hasPrefix("Content-Type: ") }.map { String($0.dropFirst("Content-Type: ".count)) }
        let rawBody = parts.dropFirst().joined(separator: "\n\n").trimmingCharacters(in: .whitespacesAndNewlines)
        body = rawBody == "(no body)" || rawBody.isEmpty ? nil : rawBody
    }

    /// The response body of the fixture whose name starts with `prefix` (first line of JSON after the headers).
    static func responseBody(_ prefix: String) throws -> [UInt8] {
        let folder = fixturesRoot.appendingPathComponent("kube-api")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix(prefix + "-") })
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        let response = try #require(text.components(separatedBy: "=== RESPONSE ===\n").dropFirst().first)
        let body = try #require(response.components(separatedBy: "\n\n").dropFirst().first?.split(separator: "\n").first)
        return Array(body.utf8)
    }

    /// Whether `request` is this one: method, path, content type and body byte for byte.
    func matches(_ request: APIRequest) -> Bool {
        request.method == method && request.path == path && request.contentType == contentType
            && request.body.map { String(decoding: $0, as: UTF8.self) } == body
    }
}
