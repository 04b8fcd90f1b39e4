import Admission
import Foundation
import Testing
import TestSupport

/// Applies a JSON patch with Python's `jsonpatch` (an independent RFC 6902 implementation) and returns the result.
private func applyWithPython(patch: String, to object: Any) async throws -> Any {
    let script = """
    import json, sys, jsonpatch
    data = json.load(sys.stdin)
    print(json.dumps(jsonpatch.JsonPatch.from_string(data["patch"]).apply(data["object"]), sort_keys=True))
    """
    let input = try JSONSerialization.data(withJSONObject: ["patch": patch, "object": object])
    let path = packageRoot.appendingPathComponent(".tools/venv/bin").path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
    let result = try await run("python3", ["-c", script], input: [UInt8](input), environment: ["PATH": path])
    try #require(result.status == 0, "python jsonpatch failed: \(result.stderr)")
    return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
}

/// The object with every controller-owned key of `oldObject` that it lacks copied over.
private func expectedObject(_ object: [String: Any], old: [String: Any]) -> [String: Any] {
    var object = object
    var metadata = object["metadata"] as? [String: Any] ?? [:]
    var annotations = metadata["annotations"] as? [String: String] ?? [:]
    let oldAnnotations = (old["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
    for key in AnnotationKeys.controllerOwned where annotations[key] == nil {
        annotations[key] = oldAnnotations[key]
    }
    metadata["annotations"] = annotations
    object["metadata"] = metadata
    return object
}

private func canonical(_ value: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
}

@Suite(.tags(.integration)) struct MutatePatchTests {
    static let bodies: [(String, [UInt8])] = AdmissionFixture.all
        .filter { $0.file.hasPrefix("04-") || $0.file.hasPrefix("14-") }
        .filter { $0.webhook == .mutate }
        .map { ($0.file, $0.body) } + [
            ("no annotations map", ReviewRequest(operation: "UPDATE", annotations: nil, oldAnnotations: [
                "mlops.dev/wave-complete": "3", "mlops.dev/trigger-status": #"{"run":"x","triggers":[{"target":"a/b~c"}]}"#,
                "team": "ml",
            ]).body),
            ("some keys kept", ReviewRequest(operation: "UPDATE", annotations: ["mlops.dev/wave-failed": "2", "a~b/c": "d"],
                                             oldAnnotations: ["mlops.dev/wave-failed": "2", "mlops.dev/completion-time": "2026-11-29T06:00:00Z"]).body),
        ]

    @Test(arguments: bodies.map(\.0))
    func patchRestoresDroppedKeys(name: String) async throws {
        let body = try #require(Self.bodies.first { $0.0 == name }?.1)
        let response = try ReviewResponse(reviewAdmission(body: body, webhook: .mutate, policy: testPolicy))
        #expect(response.response.allowed)
        #expect(response.response.patchType == "JSONPatch")
        let patch = try #require(response.patchText)
        let review = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let request = try #require(review["request"] as? [String: Any])
        let object = try #require(request["object"] as? [String: Any])
        let old = try #require(request["oldObject"] as? [String: Any])
        let patched = try await applyWithPython(patch: patch, to: object)
        #expect(try canonical(patched) == canonical(expectedObject(object, old: old)))
        #expect(response.response.warnings?.count == 1)
        #expect(response.response.warnings?.first?.hasPrefix("restored mlops.dev/") == true)
    }
}
