import Admission
import Foundation
import TestSupport

/// One request body captured from kube-apiserver, and the webhook that received it.
struct AdmissionFixture: CustomStringConvertible, Sendable {
    var file: String
    var body: [UInt8]

    var webhook: Webhook { file.contains(".validating.") ? .validate : .mutate }
    var description: String { file }

    /// Every `*.raw.json` body in the shared fixtures, in name order.
    static let all: [AdmissionFixture] = {
        let directory = fixturesRoot.appendingPathComponent("admission")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".raw.json") }.sorted().map { file in
            AdmissionFixture(file: file, body: (try? [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))) ?? [])
        }
    }()
}

/// The policy the fixture tests use: triggergate's service account, and no other allowed writer.
let testPolicy = AdmissionPolicy(controllerUsername: "system:serviceaccount:triggergate:triggergate", allowedWriters: [])

/// An AdmissionReview response, decoded with Foundation (independently of the code under test).
struct ReviewResponse: Decodable, Equatable {
    struct Response: Decodable, Equatable {
        struct Status: Decodable, Equatable {
            var code: Int
            var message: String?
            var reason: String?
        }
        var uid: String
        var allowed: Bool
        var status: Status?
        var patchType: String?
        var patch: String?
        var warnings: [String]?
    }
    var apiVersion: String
    var kind: String
    var response: Response

    init(_ bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(ReviewResponse.self, from: Data(bytes))
    }

    /// The decoded JSON patch text.
    var patchText: String? {
        response.patch.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// The request uid of a fixture body, read with Foundation.
func requestUID(_ body: [UInt8]) throws -> String {
    let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    return ((object?["request"] as? [String: Any])?["uid"] as? String) ?? ""
}
