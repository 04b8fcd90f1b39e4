import Kube
import Admission
import Reconciler
import Testing

@Suite struct TimestampTests {
    @Test func formatsAndParsesRFC3339() throws {
        let time = try #require(Timestamp(rfc3339: "2026-11-29T06:10:05Z"))
        #expect(time.description == "2026-11-29T06:10:05Z")
        #expect(time.seconds == 1_795_932_605)
        #expect(Timestamp(seconds: 0).description == "1970-01-01T00:00:00Z")
        #expect(Timestamp(rfc3339: "2024-02-29T23:59:59.123456Z")?.description == "2024-02-29T23:59:59Z")
        #expect(Timestamp(rfc3339: "2026-11-29T08:10:05+02:00") == time)
        #expect(Timestamp(rfc3339: "2026-11-29 06:10:05Z") == nil)
        #expect(Timestamp(rfc3339: "2026-13-29T06:10:05Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-29T06:10:05") == nil)
    }
}

@Suite struct ConsentTests {
    @Test func aTargetNamespaceConsentsByListOrStar() {
        #expect(Consent.allows("team-a, ml-platform", source: "ml-platform"))
        #expect(Consent.allows("*", source: "anything"))
        #expect(!Consent.allows("team-a,team-b", source: "ml-platform"))
        #expect(!Consent.allows(nil, source: "ml-platform"))
        #expect(!Consent.allows("", source: "ml-platform"))
        #expect(!Consent.allows("ml", source: "ml-platform"))
    }
}

@Suite struct FailureKindTests {
    @Test func temporaryAndPermanentErrors() {
        for status in [500, 502, 503, 429, 409] { #expect(FailureKind.of(status: status) == .temporary, "\(status)") }
        for status in [404, 403, 422, 400] { #expect(FailureKind.of(status: status) == .permanent, "\(status)") }
        #expect(FailureKind.of(status: 422, afterJSONPatchTest: true) == .temporary)
    }

    @Test func errorSummariesCarryTheStatusAndItsCauses() throws {
        let response = APIResponse(status: 429, body: try CapturedRequest.responseBody("71"))
        #expect(APIStatus.summary(of: response)
            == "HTTP 429 TooManyRequests: Cannot evict pod as it would violate the pod's disruption budget. (The disruption budget predictive-analytics-pdb needs 1 healthy pods and has 2 currently)")
        #expect(APIStatus.summary(of: APIResponse(status: 404, body: Array("404 page not found\n".utf8))) == "HTTP 404: 404 page not found")
    }
}

@Suite struct TriggerStatusTests {
    @Test func encodesCompactlyInTheDocumentedOrder() {
        let status = TriggerStatus(run: "2026-11-29T06:10:00Z", started: "2026-11-29T06:10:01Z", triggers: [
            .init(target: "apps/v1/Deployment/ml/web", action: .restart, state: .Succeeded, attempts: 1, at: "2026-11-29T06:10:01Z", message: "done"),
            .init(target: "v1/ConfigMap/ml/c", action: .refresh),
        ])
        #expect(status.annotation == #"{"run":"2026-11-29T06:10:00Z","started":"2026-11-29T06:10:01Z","triggers":[{"target":"apps/v1/Deployment/ml/web","action":"restart","state":"Succeeded","attempts":1,"at":"2026-11-29T06:10:01Z","message":"done"},{"target":"v1/ConfigMap/ml/c","action":"refresh","state":"Pending","attempts":0}]}"#)
        #expect(TriggerStatus(annotation: status.annotation) == status)
        #expect(status.triggers[0].trigger == Trigger(apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "ml", action: .restart))
        #expect(status.triggers[1].trigger == Trigger(apiVersion: "v1", kind: "ConfigMap", name: "c", namespace: "ml", action: .refresh))
    }

    @Test func decodesTheSpecExampleAndRejectsGarbage() {
        let status = TriggerStatus(annotation: #"{"run":"r","triggers":[{"target":"a/v1/K/n/x","action":"sync","state":"Failed","attempts":3,"message":"…"}]}"#)
        #expect(status?.triggers.first?.state == .Failed)
        #expect(status?.isFinished == true)
        #expect(TriggerStatus(annotation: "not json") == nil)
        #expect(TriggerStatus(annotation: nil) == nil)
        #expect(TriggerStatus(annotation: #"{"run":"r","triggers":[{"target":"t","action":"reboot","state":"Pending","attempts":0}]}"#) == nil)
    }

    @Test func escapesStringsInJSON() {
        #expect(JSONValue.string("a\"b\\c\n\u{1}é").description == #""a\"b\\c\n\u0001é""#)
    }
}
