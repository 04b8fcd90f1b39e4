import Admission
import Testing

private let validTrigger = "- {apiVersion: apps/v1, kind: Deployment, name: web, action: restart}"
private let blockWavePath = "metadata.annotations[mlops.dev/block-wave]"
private let syncWavePath = "metadata.annotations[argocd.argoproj.io/sync-wave]"

@Suite struct JobRulesTests {
    /// Annotations, and the expected denial (code and message) or `nil` for allowed.
    @Test(arguments: [
        (["mlops.dev/block-wave": "4"], nil),
        (["mlops.dev/block-wave": "1"], nil),
        (["mlops.dev/block-wave": "-1", "argocd.argoproj.io/sync-wave": "-2"], nil),
        (["mlops.dev/block-wave": "4", "argocd.argoproj.io/sync-wave": "+3"], nil),
        (["mlops.dev/block-wave": "0"], "\(blockWavePath): Invalid value: \"0\": must be greater than the job's own wave 0 (argocd.argoproj.io/sync-wave)"),
        (["mlops.dev/block-wave": "3", "argocd.argoproj.io/sync-wave": "3"],
         "\(blockWavePath): Invalid value: \"3\": must be greater than the job's own wave 3 (argocd.argoproj.io/sync-wave)"),
        (["mlops.dev/block-wave": "four"], "\(blockWavePath): Invalid value: \"four\": want a decimal int32"),
        (["mlops.dev/block-wave": " 4"], "\(blockWavePath): Invalid value: \" 4\": want a decimal int32"),
        (["mlops.dev/block-wave": "+4"], "\(blockWavePath): Invalid value: \"+4\": want a decimal int32"),
        (["mlops.dev/block-wave": "2147483648"], "\(blockWavePath): Invalid value: \"2147483648\": want a decimal int32"),
        (["mlops.dev/block-wave": "5", "argocd.argoproj.io/sync-wave": "x"], "\(syncWavePath): Invalid value: \"x\": want a decimal int32"),
        (["argocd.argoproj.io/sync-wave": "3.5"], "\(syncWavePath): Invalid value: \"3.5\": want a decimal int32"),
        (["mlops.dev/on-success-trigger": validTrigger], nil),
        (["mlops.dev/on-success-trigger": "- {apiVersion: mlops.mlops.dev/v1alpha1, kind: NotebookValidationJob, name: model-training, action: refresh}"],
         "\(triggerPrefix)[0]: Forbidden: targets the job itself; a job cannot trigger itself"),
    ] as [([String: String], String?)])
    func createRules(annotations: [String: String], denial: String?) throws {
        let response = try ReviewRequest(annotations: annotations).review()
        #expect(response.allowed == (denial == nil))
        #expect(response.status?.code == (denial == nil ? nil : 422))
        #expect(response.status?.message == denial)
        #expect(response.status?.reason == nil)
    }

    @Test func controllerOwnedKeysAreForbiddenToOthers() throws {
        let create = try ReviewRequest(annotations: ["mlops.dev/wave-complete": "3", "mlops.dev/block-wave": "x"]).review()
        #expect(create.status?.code == 403)
        #expect(create.status?.message == "metadata.annotations[mlops.dev/wave-complete]: Forbidden: only triggergate may add, change or remove "
            + "this annotation; \(blockWavePath): Invalid value: \"x\": want a decimal int32")
        let controller = AdmissionPolicy(controllerUsername: "system:serviceaccount:ops:triggergate", allowedWriters: ["op"])
        for user in ["system:serviceaccount:ops:triggergate", "op"] {
            let update = ReviewRequest(operation: "UPDATE", username: user, annotations: ["mlops.dev/trigger-status": "{}"],
                                       oldAnnotations: ["mlops.dev/wave-failed": "0"])
            #expect(try update.review(policy: controller).allowed)
        }
        let removal = ReviewRequest(operation: "UPDATE", annotations: [:], oldAnnotations: ["mlops.dev/completion-generation": "2"])
        #expect(try removal.review(policy: controller).status?.message
            == "metadata.annotations[mlops.dev/completion-generation]: Forbidden: only triggergate may add, change or remove this annotation")
        let unchanged = ReviewRequest(operation: "UPDATE", annotations: ["mlops.dev/wave-complete": "1", "x": "y"],
                                      oldAnnotations: ["mlops.dev/wave-complete": "1"])
        #expect(try unchanged.review().allowed)
    }

    @Test func updatesRatchetOnTheAnnotationsARuleInvolves() throws {
        let invalid = ["mlops.dev/block-wave": "1", "argocd.argoproj.io/sync-wave": "2", "mlops.dev/on-success-trigger": "- x"]
        var otherChange = invalid
        otherChange["team"] = "ml"
        let kept = try ReviewRequest(operation: "UPDATE", annotations: otherChange, oldAnnotations: invalid).review()
        #expect(kept.allowed)
        #expect(kept.warnings == [
            "mlops.dev/on-success-trigger is invalid but unchanged, so it is allowed: Invalid value: \"x\": want a mapping with fields…",
            "mlops.dev/block-wave is invalid but unchanged, so it is allowed: Invalid value: \"1\": must be greater than the job's own…",
        ])
        var waveChange = invalid
        waveChange["argocd.argoproj.io/sync-wave"] = "3"
        let denied = try ReviewRequest(operation: "UPDATE", annotations: waveChange, oldAnnotations: invalid).review()
        #expect(denied.status?.code == 422)
        #expect(denied.status?.message == "\(blockWavePath): Invalid value: \"1\": must be greater than the job's own wave 3 (argocd.argoproj.io/sync-wave)")
        #expect(denied.warnings?.count == 1)
        let fromEmptyOld = try ReviewRequest(operation: "UPDATE", annotations: invalid, oldAnnotations: [:]).review()
        #expect(fromEmptyOld.status?.code == 422)
    }

    @Test func deleteStatusOtherKindsAndDryRun() throws {
        let bad = ["mlops.dev/block-wave": "x", "mlops.dev/wave-complete": "1"]
        #expect(try ReviewRequest(operation: "DELETE", annotations: bad, oldAnnotations: bad).review().allowed)
        #expect(try ReviewRequest(operation: "UPDATE", subResource: "status", annotations: bad, oldAnnotations: [:]).review().allowed)
        #expect(try ReviewRequest(kind: "ConfigMap", apiVersion: "v1", annotations: bad).review().allowed)
        #expect(try ReviewRequest(apiVersion: "other.dev/v1", annotations: bad).review().allowed)
        let normal = try ReviewRequest(annotations: bad).review()
        let dryRun = try ReviewRequest(dryRun: true, annotations: bad).review()
        #expect(normal == dryRun)
        #expect(dryRun.status?.code == 403)
    }

    @Test func misspeltKeysWarn() throws {
        let response = try ReviewRequest(annotations: [
            "mlops.dev/on-success-triggers": validTrigger, "mlops.dev/blockwave": "3", "mlops.io/block-wave": "3",
            "mlops.dev/trigger-sources": "*", "mlops.dev/something-else-entirely": "x", "example.com/owner": "me",
        ]).review()
        #expect(response.allowed)
        #expect(response.warnings == [
            "unknown annotation mlops.dev/blockwave: did you mean mlops.dev/block-wave?",
            "unknown annotation mlops.dev/on-success-triggers: did you mean mlops.dev/on-success-trigger?",
            "unknown annotation mlops.io/block-wave: did you mean mlops.dev/block-wave?",
        ])
    }

    @Test func generateNameCreateSkipsSelfTarget() throws {
        let trigger = "- {apiVersion: mlops.mlops.dev/v1alpha1, kind: NotebookValidationJob, name: model-training, action: refresh}"
        #expect(try ReviewRequest(name: nil, annotations: ["mlops.dev/on-success-trigger": trigger]).review().allowed)
    }

    @Test func warningsAndMessagesStayPrintable() throws {
        let trigger = "- {apiVersion: v1, kind: ConfigMap, name: \"a\\u0007b\", action: refresh}"
        let response = try ReviewRequest(annotations: ["mlops.dev/on-success-trigger": trigger, "mlops.dev/blockwav\u{7}e": "1"]).review()
        #expect(response.status?.message?.contains("\\u{7}") == true)
        #expect(response.status?.message?.unicodeScalars.contains { $0.properties.generalCategory == .control } == false)
        for warning in response.warnings ?? [] {
            #expect(warning.count <= 120)
            #expect(!warning.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
    }
}
