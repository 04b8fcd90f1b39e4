import Admission
import Testing

/// What each captured request must get: `nil` code means allowed.
private let expected: [String: (code: Int?, patch: String?, warnings: [String])] = [
    "03-update-kubectl-annotate.validating.raw.json": (403, nil, []),
    "04-update-kubectl-replace.mutating.raw.json": (nil,
        #"[{"op":"add","path":"/metadata/annotations/mlops.dev~1wave-complete","value":"3"},"#
            + #"{"op":"add","path":"/metadata/annotations/mlops.dev~1completion-time","value":"2026-11-29T06:00:00Z"}]"#,
        ["restored mlops.dev/wave-complete, mlops.dev/completion-time from oldObject"]),
    "04-update-kubectl-replace.validating.raw.json": (403, nil, []),
    "14-update-replace-mutating-patch-restores-key.mutating.raw.json": (nil,
        #"[{"op":"add","path":"/metadata/annotations/mlops.dev~1wave-complete","value":"3"}]"#,
        ["restored mlops.dev/wave-complete from oldObject"]),
    "14-update-replace-mutating-patch-restores-key.validating.raw.json": (nil, nil, [
        "mlops.dev/on-success-trigger is invalid but unchanged, so it is allowed: Unsupported value: \"reboot\": supported values: \"restart\", \"sync\", \"refresh\"",
        "mlops.dev/block-wave is invalid but unchanged, so it is allowed: Invalid value: \"3\": must be greater than the job's own wave 3 (argocd.argoproj.io/sync-wave)",
        "unknown annotation mlops.dev/on-succes-trigger: did you mean mlops.dev/on-success-trigger?",
    ]),
    "15-create-dry-run-all-via-api.validating.raw.json": (422, nil, []),
]

@Suite struct FixtureReviewTests {
    @Test func everyFixtureIsPresent() {
        #expect(AdmissionFixture.all.count == 32)
    }

    @Test(arguments: AdmissionFixture.all)
    func fixtureDecision(fixture: AdmissionFixture) throws {
        let response = try ReviewResponse(reviewAdmission(body: fixture.body, webhook: fixture.webhook, policy: testPolicy))
        let want = expected[fixture.file] ?? (nil, nil, [])
        #expect(response.apiVersion == "admission.k8s.io/v1")
        #expect(response.kind == "AdmissionReview")
        #expect(response.response.uid == (try requestUID(fixture.body)))
        #expect(response.response.allowed == (want.code == nil))
        #expect(response.response.status?.code == want.code)
        #expect(response.response.status?.reason == nil)
        #expect(response.patchText == want.patch)
        #expect(response.response.patchType == (want.patch == nil ? nil : "JSONPatch"))
        #expect((response.response.warnings ?? []) == want.warnings.map { $0.count > 120 ? String($0.prefix(119)) + "…" : $0 })
    }

    @Test func deniedFixtureMessages() throws {
        let byName = Dictionary(uniqueKeysWithValues: AdmissionFixture.all.map { ($0.file, $0) })
        let annotate = try #require(byName["03-update-kubectl-annotate.validating.raw.json"])
        #expect(try ReviewResponse(reviewAdmission(body: annotate.body, webhook: .validate, policy: testPolicy)).response.status?.message
            == "metadata.annotations[mlops.dev/wave-complete]: Forbidden: only triggergate may add, change or remove this annotation; "
            + "metadata.annotations[mlops.dev/completion-time]: Forbidden: only triggergate may add, change or remove this annotation")
        let controller = AdmissionPolicy(controllerUsername: "admin", allowedWriters: [])
        #expect(try ReviewResponse(reviewAdmission(body: annotate.body, webhook: .validate, policy: controller)).response.allowed)
        let writer = AdmissionPolicy(controllerUsername: "someone", allowedWriters: ["admin"])
        #expect(try ReviewResponse(reviewAdmission(body: annotate.body, webhook: .validate, policy: writer)).response.allowed)
        let replace = try #require(byName["04-update-kubectl-replace.mutating.raw.json"])
        #expect(try ReviewResponse(reviewAdmission(body: replace.body, webhook: .mutate, policy: writer)).response.patch == nil)
        let dryRun = try #require(byName["15-create-dry-run-all-via-api.validating.raw.json"])
        #expect(try ReviewResponse(reviewAdmission(body: dryRun.body, webhook: .validate, policy: testPolicy)).response.status?.message
            == """
            \(triggerPrefix)[0].action: Unsupported value: "reboot": supported values: "restart", "sync", "refresh"; \
            \(triggerPrefix)[1].nmae: Forbidden: unknown field: allowed fields are apiVersion, kind, name, namespace, action (did you mean "name"?); \
            \(triggerPrefix)[1].name: Required value; \
            \(triggerPrefix)[2].apiVersion: Unsupported value: "apps/v1": kind "CronJob" is not a supported target for restart: supported are apps/v1 \
            Deployment, StatefulSet, DaemonSet; serving.kserve.io/v1beta1 InferenceService; \
            metadata.annotations[mlops.dev/block-wave]: Invalid value: "3": must be greater than the job's own wave 3 (argocd.argoproj.io/sync-wave)
            """)
    }

    @Test(arguments: [
        ("", "", "cannot decode the AdmissionReview: expected an object at byte 0"),
        (#"{"request":{"uid":"abc","operation":"CREATE","object":{"metadata":{"annotations":{"a":1}}}}}"#, "abc",
         "cannot decode the AdmissionReview: expected a string at byte 86"),
        (#"{"kind":"AdmissionReview"}"#, "", "cannot decode the AdmissionReview: the AdmissionReview has no request"),
        (#"{"request":null,"kind":"AdmissionReview"}"#, "", "cannot decode the AdmissionReview: the AdmissionReview request has no uid"),
        (#"{"request":{"uid":"u2","userInfo":null,"object":{"metadata":null}}}"#, "u2", nil),
        (#"{"request":{"uid":"u1","operation":"CREATE"}"#, "u1", "cannot decode the AdmissionReview: the body ends inside an object at byte 44"),
        (#"{"request":{"uid":"u\u00e9"}} x"#, "ué", "cannot decode the AdmissionReview: unexpected data after the JSON value at byte 30"),
    ] as [(String, String, String?)])
    func undecodableBody(body: String, uid: String, message: String?) throws {
        let response = try ReviewResponse(reviewAdmission(body: Array(body.utf8), webhook: .validate, policy: testPolicy))
        #expect(response.response.uid == uid)
        #expect(response.response.allowed == (message == nil))
        #expect(response.response.status == message.map { .init(code: 400, message: $0, reason: nil) })
    }

    @Test func deeplyNestedBodyIsRefusedWithoutRecursion() throws {
        let body = #"{"request":{"uid":"deep","x":"# + String(repeating: "[", count: 200_000)
        let response = try ReviewResponse(reviewAdmission(body: Array(body.utf8), webhook: .validate, policy: testPolicy))
        #expect(response.response.uid == "deep")
        #expect(response.response.status?.code == 400)
    }
}
