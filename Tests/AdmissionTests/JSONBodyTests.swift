import Admission
import Testing

/// A CREATE of a job whose only annotation is `key: value`, both given as raw JSON string contents.
private func body(key: String = "mlops.dev/block-wave", rawValue: String) -> [UInt8] {
    Array(("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u-1\",\"operation\":\"CREATE\","
        + "\"userInfo\":{\"username\":\"jane\",\"extra\":{\"a\":[\"b\"]}},\"options\":{\"a\":[1,2.5e3,-0.1,true,false,null,{}]},\"dryRun\":false,"
        + "\"object\":{\"apiVersion\":\"mlops.mlops.dev/v1alpha1\",\"kind\":\"NotebookValidationJob\",\"metadata\":{\"name\":\"j\","
        + "\"namespace\":\"ns\",\"annotations\":{\"\(key)\":\"\(rawValue)\",\"other\":\"x\\\"y\\\\\"}}},\"oldObject\":null}}").utf8)
}

private func review(_ bytes: [UInt8]) throws -> ReviewResponse.Response {
    try ReviewResponse(reviewAdmission(body: bytes, webhook: .validate, policy: testPolicy)).response
}

@Suite struct JSONBodyTests {
    @Test func escapesAreDecoded() throws {
        #expect(try review(body(rawValue: #"\u0034"#)).allowed)
        #expect(try review(body(rawValue: #"\u0066our"#)).status?.message
            == #"metadata.annotations[mlops.dev/block-wave]: Invalid value: "four": want a decimal int32"#)
        #expect(try review(body(rawValue: #"4\n\ud83d\ude00"#)).status?.message
            == #"metadata.annotations[mlops.dev/block-wave]: Invalid value: "4\n😀": want a decimal int32"#)
        let trigger = #"- {apiVersion: v1, kind: ConfigMap, name: c, action: refresh}\n- {apiVersion: v1, kind: ConfigMap, name: d, action: \"refresh\"}"#
        #expect(try review(body(key: "mlops.dev/on-success-trigger", rawValue: trigger)).allowed)
        #expect(try review(body(key: "mlops.dev/on-success-trigger", rawValue: #"[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"c\",\"action\":\"refresh\"}]"#)).allowed)
    }

    @Test(arguments: [
        (#"\ud83d"#, "unpaired surrogate in a \\u escape"),
        (#"\x"#, "invalid escape in a string"),
        (#"\u12G4"#, "invalid \\u escape"),
        ("a\u{1}b", "control character in a string"),
    ])
    func badStringsAreA400(rawValue: String, reason: String) throws {
        let response = try review(body(rawValue: rawValue))
        #expect(response.uid == "u-1")
        #expect(response.status?.code == 400)
        #expect(response.status?.message?.hasPrefix("cannot decode the AdmissionReview: \(reason) at byte ") == true, "\(response.status?.message ?? "")")
    }

    @Test func invalidUTF8IsA400() throws {
        var bytes = body(rawValue: "4")
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "4")))
        bytes[index] = 0xFF
        let response = try review(bytes)
        #expect(response.status?.code == 400)
        #expect(response.status?.message?.contains("not valid UTF-8") == true)
    }
}
