import Foundation
import Kube
import Logging
import Reconciler
import Locking
import TestSupport
import Testing

/// The argocd-notifications triggers of `deploy/examples/argocd-notifications-cm.yaml` (the chart links the same file),
/// evaluated against Applications as ``ApplicationStatusPublisher`` leaves them. The conditions are expr-lang
/// expressions; ``ExprSubset`` evaluates exactly the part of expr they use (docs/notifications.md says which).
@Suite struct NotificationTriggerTests {
    /// One trigger of the ConfigMap.
    struct Trigger {
        var name: String
        var when: String
        var oncePer: String?
        var send: [String]
    }

    static func configMap() throws -> [String: String] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("deploy/examples/argocd-notifications-cm.yaml"), encoding: .utf8)
        let objects = try manifestObjects(text)
        return try #require(objects.first?["data"] as? [String: String])
    }

    static func triggers() throws -> [Trigger] {
        try configMap().filter { $0.key.hasPrefix("trigger.") }.sorted { $0.key < $1.key }.map { key, value in
            // The value is a YAML list of conditions; wrapped under a key so that the manifest loader reads it.
            let wrapped = "conditions:\n" + value.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
            let conditions = try #require(try manifestObjects(wrapped).first?["conditions"] as? [[String: Any]])
            try #require(conditions.count == 1, "\(key)")
            return Trigger(
                name: String(key.dropFirst("trigger.".count)), when: try #require(conditions[0]["when"] as? String),
                oncePer: conditions[0]["oncePer"] as? String, send: conditions[0]["send"] as? [String] ?? [])
        }
    }

    /// The Application after the publisher wrote the status of `jobs` (none: never written).
    static func application(after jobs: [Job], thenDelete: Bool = false) async throws -> [String: Any] {
        let api = MemoryCluster()
        let path = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/app"
        api.put(path, ["apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": ["name": "app", "namespace": "argocd"]])
        guard !jobs.isEmpty else { return try #require(api.object(path)) }
        let current = Locked(Dictionary(uniqueKeysWithValues: jobs.map { ($0.key, $0) }))
        let publisher = ApplicationStatusPublisher(
            api: api, jobs: { key in current.withLock { $0[key] } }, settings: .init(interval: .milliseconds(1)), logger: Logger(label: "test"))
        publisher.leadershipGained()
        let task = Task { await publisher.run { true } }
        defer { task.cancel() }
        for job in jobs { publisher.jobChanged(job.key) }
        try await waitFor { api.writes.count == 1 }
        if thenDelete {
            current.withLock { $0 = [:] }
            for job in jobs { publisher.jobChanged(job.key) }
            try await waitFor { api.writes.count == 2 }
        }
        return try #require(api.object(path))
    }

    static func waitFor(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw HarnessTimeout(what: "the publisher's patch") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func job(_ phase: String, triggerStatus: String? = nil) -> Job {
        var metadata = Job.Metadata(name: "train", namespace: "ml", annotations: triggerStatus.map { ["mlops.dev/trigger-status": $0] })
        metadata.labels = ["app.kubernetes.io/instance": "app"]
        let cell = phase == "Failed" ? Job.FailedCell(index: 4, errorMessage: "KeyError: 'x'") : nil
        return Job(metadata: metadata, status: .init(phase: phase, failedCell: cell))
    }

    @Test func eachTriggerFiresExactlyForItsStatus() async throws {
        let failedTrigger = #"{"run":"r","triggers":[{"target":"apps/v1/Deployment/ml/web","action":"restart","state":"Failed","attempts":1}]}"#
        let cases: [(String, [String: Any], Set<String>)] = [
            ("never written", try await Self.application(after: []), []),
            ("running", try await Self.application(after: [Self.job("ValidationRunning")]), []),
            ("failed", try await Self.application(after: [Self.job("Failed")]), ["on-notebook-failed"]),
            ("succeeded", try await Self.application(after: [Self.job("Succeeded")]), ["on-notebook-succeeded"]),
            ("succeeded, a trigger failed", try await Self.application(after: [Self.job("Succeeded", triggerStatus: failedTrigger)]),
             ["on-notebook-succeeded", "on-notebook-trigger-failed"]),
            ("the last job gone", try await Self.application(after: [Self.job("Failed")], thenDelete: true), []),
        ]
        let triggers = try Self.triggers()
        #expect(triggers.map(\.name) == ["on-notebook-failed", "on-notebook-succeeded", "on-notebook-trigger-failed"])
        let templates = try Self.configMap().keys.filter { $0.hasPrefix("template.") }.map { String($0.dropFirst("template.".count)) }
        for (name, application, expected) in cases {
            var fired: Set<String> = []
            for trigger in triggers where try ExprSubset.evaluate(trigger.when, app: application) == .bool(true) {
                fired.insert(trigger.name)
                if let oncePer = trigger.oncePer {
                    guard case .string(let key) = try ExprSubset.evaluate(oncePer, app: application) else {
                        Issue.record("\(trigger.name): oncePer is not a string for \(name)")
                        continue
                    }
                    #expect(!key.isEmpty)
                }
            }
            #expect(fired == expected, "\(name): \(application["metadata"] ?? "")")
        }
        for trigger in triggers {
            #expect(!trigger.send.isEmpty && trigger.send.allSatisfy(templates.contains), "\(trigger.name) sends \(trigger.send); templates \(templates)")
        }
    }

    @Test func theEvaluatorKeepsExprsRules() throws {
        let bare: [String: Any] = ["metadata": ["name": "app"]]
        #expect(throws: ExprSubset.Failure.self) { try ExprSubset.evaluate("app.metadata.annotations['k'] == 'v'", app: bare) }
        #expect(try ExprSubset.evaluate("app.metadata.annotations != nil && app.metadata.annotations['k'] == 'v'", app: bare) == .bool(false))
        #expect(try ExprSubset.evaluate("app.metadata['name'] == 'app' && app.metadata.name != nil", app: bare) == .bool(true))
        #expect(throws: ExprSubset.Failure.self) { try ExprSubset.evaluate("'k' in app.metadata", app: bare) }
        #expect(throws: ExprSubset.Failure.self) { try ExprSubset.evaluate("app.metadata.name == \"app\"", app: bare) }
    }
}

/// The part of expr-lang (github.com/expr-lang/expr, which argocd-notifications evaluates `when` and `oncePer` with)
/// that these triggers use: `a && b`, `a == b`, `a != b`, single-quoted strings, `nil`, and member access `x.y` and
/// `x['key']` from `app`. As in expr, a key missing from a map is `nil`, fetching from `nil` is an error, and `&&`
/// does not evaluate its right side when the left is false. Anything else is refused, so a trigger that needs more
/// of expr fails this test instead of being misjudged.
enum ExprSubset {
    /// A value.
    enum Value: Equatable {
        case null
        case bool(Bool)
        case string(String)
        case other(String)
    }

    /// An expression outside the subset, or an error expr would raise.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func evaluate(_ text: String, app: [String: Any]) throws -> Value {
        var parser = Parser(tokens: try tokens(text), app: app)
        let value = try parser.and(evaluating: true)
        guard parser.position == parser.tokens.count else { throw Failure(description: "unexpected \(parser.tokens[parser.position]) in \(text)") }
        return value
    }

    enum Token: Equatable {
        case name(String)
        case string(String)
        case symbol(String)
    }

    static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(text)
        while let first = rest.first {
            if first.isWhitespace {
                rest = rest.dropFirst()
            } else if first == "'" {
                guard let end = rest.dropFirst().firstIndex(of: "'") else { throw Failure(description: "unterminated string in \(text)") }
                tokens.append(.string(String(rest[rest.index(after: rest.startIndex)..<end])))
                rest = rest[rest.index(after: end)...]
            } else if first.isLetter || first == "_" {
                let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                tokens.append(.name(String(name)))
                rest = rest.dropFirst(name.count)
            } else if let symbol = ["&&", "==", "!=", ".", "[", "]"].first(where: { rest.hasPrefix($0) }) {
                tokens.append(.symbol(symbol))
                rest = rest.dropFirst(symbol.count)
            } else {
                throw Failure(description: "\(first) is outside the expr subset: \(text)")
            }
        }
        return tokens
    }

    struct Parser {
        let tokens: [Token]
        let app: [String: Any]
        var position = 0

        mutating func take(_ symbol: String) -> Bool {
            guard position < tokens.count, tokens[position] == .symbol(symbol) else { return false }
            position += 1
            return true
        }

        /// `comparison && comparison …`; the right sides are parsed but not evaluated once one is false.
        mutating func and(evaluating: Bool) throws -> Value {
            var value = try comparison(evaluating: evaluating)
            while take("&&") {
                let left = value == .bool(true)
                guard !evaluating || value == .bool(true) || value == .bool(false) else { throw Failure(description: "&& of a non-boolean") }
                let right = try comparison(evaluating: evaluating && left)
                value = .bool(left && right == .bool(true))
            }
            return value
        }

        mutating func comparison(evaluating: Bool) throws -> Value {
            let left = try operand(evaluating: evaluating)
            for symbol in ["==", "!="] where take(symbol) {
                let right = try operand(evaluating: evaluating)
                return .bool((left == right) == (symbol == "=="))
            }
            return left
        }

        mutating func operand(evaluating: Bool) throws -> Value {
            guard position < tokens.count else { throw Failure(description: "an operand is missing") }
            let token = tokens[position]
            position += 1
            switch token {
            case .string(let text): return .string(text)
            case .name("nil"): return .null
            case .name("app"):
                var current: Any? = app
                while true {
                    let key: String
                    if take(".") {
                        guard position < tokens.count, case .name(let name) = tokens[position] else { throw Failure(description: "a name must follow .") }
                        key = name
                        position += 1
                    } else if take("[") {
                        guard position < tokens.count, case .string(let name) = tokens[position] else { throw Failure(description: "a string must be in []") }
                        position += 1
                        guard take("]") else { throw Failure(description: "] is missing") }
                        key = name
                    } else {
                        break
                    }
                    guard evaluating else { continue }
                    guard let map = current as? [String: Any] else { throw Failure(description: "cannot fetch \(key) from \(current ?? "<nil>")") }
                    current = map[key]
                }
                switch current {
                case nil: return .null
                case let text as String: return .string(text)
                case let flag as Bool: return .bool(flag)
                case let other?: return .other("\(other)")
                }
            default:
                throw Failure(description: "\(token) is outside the expr subset")
            }
        }
    }
}
