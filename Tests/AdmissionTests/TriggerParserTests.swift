import Admission
import Testing

let triggerPrefix = "metadata.annotations[mlops.dev/on-success-trigger]"

/// Parses `value` and returns the joined problem text, or "" when it is valid.
private func problems(_ value: String, owner: TriggerOwner? = nil) -> String {
    do {
        _ = try Trigger.parseList(annotationValue: value, owner: owner)
        return ""
    } catch {
        return error.description
    }
}

@Suite struct TriggerParserTests {
    private let prefix = triggerPrefix

    /// An item that is not a mapping still has its place: a duplicate after it was placed by the next item's place, and
    /// the last one's was out of range (a crash the fuzzer found).
    @Test func duplicateAfterAnItemThatIsNotAMappingIsPlacedAtItself() {
        let item = "{apiVersion: apps/v1, kind: Deployment, name: web, action: restart}"
        let found = Trigger.check("- web\n- \(item)\n- \(item)\n", owner: TriggerOwner(namespace: "team-a", name: "job")).problems
        #expect(found.map(\.path) == ["\(triggerPrefix)[0]", "\(triggerPrefix)[2]"])
        #expect(found.map(\.place) == [ValuePlace(line: 1, column: 3), ValuePlace(line: 3, column: 3)])
    }

    @Test func blockSequenceParses() throws {
        let value = """
        - apiVersion: serving.kserve.io/v1beta1
          kind: InferenceService
          name: predictive-analytics
          namespace: ml-platform      # optional
          action: restart
        - {apiVersion: argoproj.io/v1alpha1, kind: Application, name: app, action: sync}
        """
        let triggers = try Trigger.parseList(annotationValue: value)
        #expect(triggers == [
            Trigger(apiVersion: "serving.kserve.io/v1beta1", kind: "InferenceService", name: "predictive-analytics",
                    namespace: "ml-platform", action: .restart),
            Trigger(apiVersion: "argoproj.io/v1alpha1", kind: "Application", name: "app", namespace: nil, action: .sync),
        ])
    }

    @Test func jsonParses() throws {
        let value = #"[{"apiVersion":"v1","kind":"ConfigMap","name":"settings","action":"refresh"}]"#
        #expect(try Trigger.parseList(annotationValue: value)
            == [Trigger(apiVersion: "v1", kind: "ConfigMap", name: "settings", namespace: nil, action: .refresh)])
    }

    @Test(arguments: [
        "---\n- {apiVersion: v1, kind: ConfigMap, name: a, action: refresh}\n...\n",
        "[{apiVersion: v1, kind: ConfigMap, name: a, action: refresh}]",
        "- apiVersion: \"apps/v1\"\n  kind: 'StatefulSet'\n  name: db-0.x\n  action: restart # comment\n",
        "# triggers\n- apiVersion: argoproj.io/v1alpha1\n  kind: Application\n  name: app\n  namespace: argocd\n  action: refresh\n",
        "- apiVersion: example.com/v2beta3\n  kind: Widget9\n  name: w\n  action: refresh\n",
        "[{\"apiVersion\": \"apps/v1\", \"kind\": \"DaemonSet\", \"name\": \"agent\", \"namespace\": \"kube-system\", \"action\": \"restart\"}]",
        "- apiVersion: v1\n  kind: ConfigMap\n  name: |-\n    multi\n  action: refresh\n",
    ])
    func accepted(value: String) {
        #expect(problems(value) == "")
    }

    @Test func specExampleMessages() {
        let value = """
        - apiVersion: serving.kserve.io/v1beta1
          kind: InferenceService
          name: predictive-analytics
          action: reboot
        - apiVersion: apps/v1
          kind: Deployment
          nmae: predictive-frontend
          action: restart
        - apiVersion: apps/v1
          kind: CronJob
          name: nightly
          action: restart
        """
        #expect(problems(value) == """
        \(prefix)[0].action: Unsupported value: "reboot": supported values: "restart", "sync", "refresh"; \
        \(prefix)[1].nmae: Forbidden: unknown field: allowed fields are apiVersion, kind, name, namespace, action (did you mean "name"?); \
        \(prefix)[1].name: Required value; \
        \(prefix)[2].apiVersion: Unsupported value: "apps/v1": kind "CronJob" is not a supported target for restart: supported are apps/v1 \
        Deployment, StatefulSet, DaemonSet; serving.kserve.io/v1beta1 InferenceService
        """)
    }

    @Test(arguments: [
        ("", "\(triggerPrefix): Required value: want a list of triggers; remove the annotation if the job triggers nothing"),
        ("[]", "\(triggerPrefix): Required value: want a list of triggers; remove the annotation if the job triggers nothing"),
        ("apiVersion: v1",
         "\(triggerPrefix): Invalid value: a mapping: want a list of triggers (a YAML sequence of mappings, each item starting with \"- \")"),
        ("- &a {apiVersion: v1}", "\(triggerPrefix): Invalid value: YAML anchors are not allowed; write each value out at line 1, column 3"),
        ("- !!map {apiVersion: v1}", "\(triggerPrefix): Invalid value: YAML tags are not allowed; write plain values at line 1, column 3"),
        ("- {a: 1}\n---\n- {a: 1}", "\(triggerPrefix): Invalid value: several YAML documents are not allowed at line 2, column 1"),
        ("- {name: a, name: b}", "\(triggerPrefix): Invalid value: duplicate key \"name\" at line 1, column 13"),
        ("- apiVersion: v1\n kind: ConfigMap",
         "\(triggerPrefix): Invalid value: invalid YAML: did not find expected '-' indicator (while parsing a block collection) at line 2, column 2"),
        ("- {apiVersion: v1, kind: ConfigMap, name: 12, action: refresh}",
         "\(triggerPrefix)[0].name: Invalid value: 12: want a string; quote it if it is meant as text"),
        ("- {apiVersion: v1, kind: ConfigMap, name: {a: b}, action: refresh}", "\(triggerPrefix)[0].name: Invalid value: a mapping: want a string"),
        ("- just-a-string",
         "\(triggerPrefix)[0]: Invalid value: \"just-a-string\": want a mapping with fields apiVersion, kind, name, action"),
        ("- {apiVersion: apps/v1x, kind: deployment, name: Web_1, namespace: -ns, action: restart}",
         "\(triggerPrefix)[0].apiVersion: Invalid value: \"apps/v1x\": want \"v1\" or \"<group>/<version>\" such as \"apps/v1\"; "
            + "\(triggerPrefix)[0].kind: Invalid value: \"deployment\": want a kind such as \"Deployment\": a capital letter, then at most 62 letters or digits; "
            + "\(triggerPrefix)[0].name: Invalid value: \"Web_1\": want a DNS-1123 subdomain: lowercase letters, digits, \"-\" and \".\", at most 253 characters; "
            + "\(triggerPrefix)[0].namespace: Invalid value: \"-ns\": want a DNS-1123 label: lowercase letters, digits and \"-\", at most 63 characters"),
        ("- {apiVersion: apps/v1, kind: Deployment, name: web, action: sync}",
         "\(triggerPrefix)[0].apiVersion: Unsupported value: \"apps/v1\": kind \"Deployment\" is not a supported target for sync: supported are argoproj.io/v1alpha1 Application"),
        ("- {apiVersion: apps/v1beta1, kind: Deployment, name: web, action: restart}",
         "\(triggerPrefix)[0].apiVersion: Unsupported value: \"apps/v1beta1\": kind \"Deployment\" is not a supported target for restart: supported are apps/v1 Deployment, StatefulSet, DaemonSet; serving.kserve.io/v1beta1 InferenceService"),
        ("- {apiVersion: v1, kind: ConfigMap, name: a, action: refresh}\n- {apiVersion: v1, kind: ConfigMap, name: a, action: refresh}",
         "\(triggerPrefix)[1]: Duplicate value: same apiVersion, kind, namespace, name and action as [0]; remove one"),
    ])
    func rejected(value: String, message: String) {
        #expect(problems(value) == message)
    }

    @Test func sizeLimitIsCheckedFirst() {
        let value = String(repeating: "&a ", count: 3000)
        #expect(problems(value) == "\(prefix): Too long: must have at most 8192 bytes (8 KiB), got 9000")
    }

    @Test func atMostSixteenItems() {
        let items = (0..<17).map { "- {apiVersion: v1, kind: ConfigMap, name: c\($0), action: refresh}" }
        #expect(problems(items.joined(separator: "\n")) == "\(prefix): Too many: 17: must have at most 16 items")
        #expect(problems(items.dropLast().joined(separator: "\n")) == "")
    }

    @Test func ownerRules() {
        let owner = TriggerOwner(namespace: "ml", name: "job")
        let selfTarget = "- {apiVersion: mlops.mlops.dev/v1alpha1, kind: NotebookValidationJob, name: job, action: refresh}"
        #expect(problems(selfTarget, owner: owner) == "\(prefix)[0]: Forbidden: targets the job itself; a job cannot trigger itself")
        #expect(problems(selfTarget, owner: TriggerOwner(namespace: "ml", name: "other-job")) == "")
        let elsewhere = "- {apiVersion: mlops.mlops.dev/v1alpha1, kind: NotebookValidationJob, name: job, namespace: ml, action: refresh}"
        #expect(problems(elsewhere, owner: TriggerOwner(namespace: "other", name: "job")) == "")
        let sameTarget = """
        - {apiVersion: v1, kind: ConfigMap, name: a, action: refresh}
        - {apiVersion: v1, kind: ConfigMap, name: a, namespace: ml, action: refresh}
        """
        #expect(problems(sameTarget) == "")
        #expect(problems(sameTarget, owner: owner)
            == "\(prefix)[1]: Duplicate value: same apiVersion, kind, namespace, name and action as [0]; remove one")
    }

    @Test func aliasBombIsRejectedQuickly() {
        var lines = ["- a: &a [x, x, x, x, x, x, x, x, x]"]
        for level in 1..<9 {
            lines.append("  a\(level): &a\(level) [*a\(level == 1 ? "" : String(level - 1)), *a, *a, *a, *a, *a, *a, *a, *a]")
        }
        let elapsed = threadCPUTime {
            #expect(problems(lines.joined(separator: "\n")).contains("YAML anchors are not allowed"))
        }
        #expect(elapsed < .milliseconds(50))
    }
}
