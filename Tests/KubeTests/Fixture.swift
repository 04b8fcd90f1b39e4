import Foundation
import TestSupport

/// A captured kube-apiserver exchange from `fixtures/kube-api/NN-*.txt`.
struct Fixture {
    /// The response status code.
    var status: Int
    /// The response headers.
    var headers: [String: String]
    /// The response body, exactly (de-chunked for watches).
    var body: [UInt8]

    /// Loads the fixture whose file name starts with `prefix` (e.g. "28-").
    init(_ prefix: String) throws {
        let folder = fixturesRoot.appendingPathComponent("kube-api")
        let name = try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix(prefix) }!
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        let response = text.components(separatedBy: "=== RESPONSE ===\n")[1]
        let head = response.components(separatedBy: "\n\n")[0].split(separator: "\n")
        status = Int(head[0].split(separator: " ")[1])!
        headers = [:]
        for line in head.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        if let watch = response.range(of: "--- de-chunked body: one watch event JSON per line ---\n") {
            let rest = response[watch.upperBound...]
            let lines = rest.components(separatedBy: "\n\n")[0].split(separator: "\n").dropFirst()
            body = Array(lines.map { $0 + "\n" }.joined().utf8)
        } else {
            let rest = response.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n")
            body = Array((rest.components(separatedBy: "\n(body: ")[0] + "\n").utf8)
        }
    }
}
