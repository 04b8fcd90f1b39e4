@testable import Admission
import Testing
import YAML

/// The trigger annotation's fast path (`scanFlatListEvents`) against libyaml: what it scans must be exactly what
/// libyaml scans, and what it declines is left to libyaml.
@Suite struct TriggerFastPathTests {
    private let owner = TriggerOwner(namespace: "team-a", name: "job")

    /// Values the fast path scans: each must give libyaml's events and libyaml's answer.
    static let accepted = [
        "- apiVersion: serving.kserve.io/v1beta1\n  kind: InferenceService\n  name: predictive-analytics\n  namespace: ml-platform\n"
            + "  action: restart\n- apiVersion: argoproj.io/v1alpha1\n  kind: Application\n  name: ml-platform-app\n  namespace: argocd\n"
            + "  action: sync\n- apiVersion: apps/v1\n  kind: Deployment\n  name: predictive-frontend\n  action: restart\n",
        "- apiVersion: apps/v1\n  kind: Deployment\n  name: web\n  action: restart",
        "- apiVersion: apps/v1\n  kind: Deployment\n  name: web\n  action: restart\n\n\n",
        "\n- apiVersion: apps/v1\n  kind: Deployment\n  name: 'web'\n  action: \"restart\"\n",
        "- \"apiVersion\": apps/v1\n  'kind': Deployment\n  name:   web\n  action: restart\n",
        "- apiVersion: apps/v1\n  kind: Deployment\n  nmae: web\n  action: reboot\n",
        "- apiVersion: apps/v1\n  kind: Deployment\n  name: yes\n  action: restart\n- apiVersion: v1\n  kind: null\n  name: 1e3\n  action: 0x10\n",
        "- name: \"a#b: c\"\n  kind: ''\n",
        "[{apiVersion: apps/v1, kind: Deployment, name: web, action: restart}, {apiVersion: argoproj.io/v1alpha1, kind: Application, name: app, namespace: argocd, action: sync}]",
        "[ { apiVersion: apps/v1, kind: Deployment, name: web, action: restart } ]\n",
        #"[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","action":"restart"}]"#,
        "[\n  {\n    \"apiVersion\": \"apps/v1\",\n    \"kind\": \"Deployment\",\n    \"name\": \"web\",\n    \"action\": \"restart\"\n  }\n]\n",
        #"[{"apiVersion":"apps/v1","kind":"Deployment","name":"job","action":"restart"},{"apiVersion":"apps/v1","kind":"Deployment","name":"job","action":"restart"}]"#,
        #"[{"apiVersion":"mlops.mlops.dev/v1alpha1","kind":"NotebookValidationJob","name":"job","action":"refresh"}]"#,
        #"[{"name":yes,"kind":1,"apiVersion":null,"action":'restart'}]"#,
        "[{apiVersion: apps/v1, kind: Deployment, name: web, action: restart, colour: blue}]",
        "[]",
        "[{}]",
        " [{name: web}] \n\n",
    ]

    /// Near misses the fast path declines (libyaml reads some of them differently, refuses others).
    static let declined = [
        "", "\n", "web", "{name: web}", "- web\n",
        "- name: web # a comment\n",
        "[{name: web}] # a comment",
        "- name: !!str web\n",
        "- name: &a web\n  kind: *a\n",
        "- name: \"x\\u00e9\"\n",
        "- name: \"xé\"\n",
        "- name: 'it''s'\n",
        "- name: we\"b\n",
        "- name: web\n  name: web\n",
        "[{name: a, name: b}]",
        "[{name: a, \"name\": b}]",
        "[{name: a},]",
        "[{name: a,}]",
        "[{name: a} {name: b}]",
        "[{name: [a]}]",
        "[{name: {a: b}}]",
        "- name:\n",
        "- name: \n",
        "[{name: }]",
        "[{name:web}]",
        "[{name: web\n}]",
        "[{name: web\n  more}]",
        "- name: web\n    more\n",
        "- name: web \n",
        "- name: web\n\n- kind: Deployment\n",
        "- name: web\n ",
        "- name: web\n  \n",
        "  - name: web\n",
        "-  name: web\n",
        "- name: web\n   kind: Deployment\n",
        "- - name: web\n",
        "---\n- name: web\n",
        "- name: web\n...\n",
        "- name: web\r\n",
        "- name:\tweb\n",
        "- name: 'web\n  more'\n",
        "- name: -web\n",
        "- name: .inf\n",
        "[{name: web}]x",
        "- \(String(repeating: "k", count: 129)): v\n",
    ]

    @Test(arguments: accepted)
    func acceptedValueGivesLibYAMLsEventsAndAnswer(_ value: String) throws {
        let fast = try #require(scanFlatListEvents(value), "declined: \(value.debugDescription)")
        let slow = try scanYAMLEvents(value)
        #expect(fast == slow)
        for owner in [owner, nil] {
            let fromLibYAML = Result { () throws(AnnotationProblems) in try Trigger.build(slow, owner: owner) }
            let answer = Result { () throws(AnnotationProblems) in try Trigger.parseList(annotationValue: value, owner: owner) }
            #expect(answer == fromLibYAML)
        }
    }

    @Test(arguments: declined)
    func nearMissIsLeftToLibYAML(_ value: String) {
        #expect(scanFlatListEvents(value) == nil)
    }

    /// Every value one byte away from an accepted one (a byte deleted, or one of the bytes that change YAML's reading
    /// inserted): scanned to libyaml's events, or declined.
    @Test func neighboursOfAcceptedValuesAreScannedAsLibYAMLDoesOrDeclined() {
        let inserted: [[UInt8]] = [" ", "\n", "#", ":", ",", "'", "\"", "-", "{", "}", "[", "]", "\\", "&", "!", "é"].map { Array($0.utf8) }
        var scanned = 0
        var wrong: [String] = []
        for value in Self.accepted {
            let bytes = Array(value.utf8)
            for at in 0...bytes.count {
                var neighbours = inserted.map { Array(bytes[..<at]) + $0 + bytes[at...] }
                if at < bytes.count { neighbours.append(Array(bytes[..<at] + bytes[(at + 1)...])) }
                for neighbour in neighbours {
                    let text = String(decoding: neighbour, as: UTF8.self)
                    guard let fast = scanFlatListEvents(text) else { continue }
                    scanned += 1
                    if (try? scanYAMLEvents(text)) != fast { wrong.append(text.debugDescription) }
                }
            }
        }
        #expect(wrong.isEmpty, "scanned unlike libyaml: \(wrong.prefix(5))")
        #expect(scanned > 500)
    }

    @Test func duplicateKeyIsLibYAMLsError() {
        let found = Trigger.check("[{name: a, name: b}]", owner: owner).problems
        #expect(found.map(\.message) == ["Invalid value: duplicate key \"name\" at line 1, column 12"])
    }

    @Test func fastPathPlacesProblemsAsLibYAMLDoes() {
        let value = "[{apiVersion: apps/v1, kind: Deployment, name: yes, action: restart}]"
        let found = Trigger.check(value, owner: owner).problems
        #expect(found.map(\.description) == [
            "\(triggerPath)[0].name: Invalid value: yes: want a string; quote it if it is meant as text",
        ])
        #expect(found.map(\.place) == [ValuePlace(line: 1, column: 48)])
    }

    @Test func blockFormGivesItsTriggers() throws {
        let triggers = try Trigger.parseList(annotationValue: Self.accepted[0], owner: owner)
        #expect(triggers.map(\.name) == ["predictive-analytics", "ml-platform-app", "predictive-frontend"])
        #expect(triggers.map(\.namespace) == ["ml-platform", "argocd", nil])
        #expect(triggers.map(\.action) == [.restart, .sync, .restart])
    }
}
