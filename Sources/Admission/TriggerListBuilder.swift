/// Builds triggers from the node events of a trigger annotation, collecting every problem with its path.
struct TriggerListBuilder {
    let events: [YAMLEvent]
    let owner: TriggerOwner?
    private var index = 0
    private(set) var problems: [AnnotationProblem] = []

    init(events: [YAMLEvent], owner: TriggerOwner?) {
        self.events = events
        self.owner = owner
    }

    /// The valid triggers; `problems` says what is wrong with the rest.
    mutating func build() -> [Trigger] {
        let emptyMessage = "want a list of triggers, got an empty value; remove the annotation if the job triggers nothing"
        let shapeMessage = "want a list of triggers (a YAML sequence of mappings, each item starting with \"- \"), got"
        guard let first = events.first else {
            report(triggerPath, emptyMessage)
            return []
        }
        switch first.kind {
        case .sequenceStart:
            break
        case let .scalar(value, plain) where ScalarType(value, plain: plain) == .null:
            report(triggerPath, emptyMessage)
            return []
        default:
            report(triggerPath, "\(shapeMessage) \(describe(first.kind))")
            return []
        }
        index = 1
        var items: [Trigger?] = []
        items.reserveCapacity(Trigger.maxCount + 1)
        while events[index].kind != .sequenceEnd {
            items.append(readItem(items.count))
        }
        if items.isEmpty {
            report(triggerPath, emptyMessage)
        } else if items.count > Trigger.maxCount {
            problems = [AnnotationProblem(
                path: triggerPath, message: "lists \(items.count) triggers: at most \(Trigger.maxCount) are allowed")]
            return []
        }
        checkAgainstEachOther(items)
        return items.compactMap { $0 }
    }

    /// Reads one item (a mapping of fields) and checks its fields; `nil` when it is not a valid trigger.
    private mutating func readItem(_ position: Int) -> Trigger? {
        let start = events[index]
        guard start.kind == .mappingStart else {
            report(itemPath(position), "want a mapping with fields apiVersion, kind, name, action, got \(describe(start.kind))")
            skipNode()
            return nil
        }
        index += 1
        var fields = TriggerFields()
        var valid = true
        while case let .scalar(field, _) = events[index].kind {
            index += 1
            let value = events[index]
            if let slot = Trigger.fields.firstIndex(of: field) {
                fields.markWritten(slot)
                if case let .scalar(text, plain) = value.kind, ScalarType(text, plain: plain) == .string {
                    fields[slot] = text
                } else {
                    report(itemPath(position) + "." + field, "want a string, got \(describe(value.kind))")
                    valid = false
                }
            } else {
                let hint = nearest(to: field, in: Trigger.fields, maxDistance: 2).map { " (did you mean \(quoted($0))?)" } ?? ""
                let allowed = Trigger.fields.joined(separator: ", ")
                report(itemPath(position), "unknown field \(quoted(field)): allowed fields are \(allowed)\(hint)")
                valid = false
            }
            skipNode()
        }
        index += 1
        for (slot, field) in Trigger.fields.enumerated() where field != "namespace" && !fields.isWritten(slot) {
            report(itemPath(position), "missing required field \(quoted(field))")
            valid = false
        }
        return checkFields(fields, position: position) && valid ? fields.trigger : nil
    }

    /// Applies the per-field rules and the action/target matrix; true when every present field is valid.
    private mutating func checkFields(_ fields: TriggerFields, position: Int) -> Bool {
        var valid = true
        func check(_ field: String, _ value: String?, _ rule: (String) -> Bool, _ want: String) {
            if let value, !rule(value) {
                report(itemPath(position) + "." + field, "invalid value \(quoted(value)): want \(want)")
                valid = false
            }
        }
        check("apiVersion", fields.apiVersion, NameRules.isAPIVersion, "\"v1\" or \"<group>/<version>\" such as \"apps/v1\"")
        check("kind", fields.kind, NameRules.isKind,
              "a kind such as \"Deployment\": a capital letter, then at most 62 letters or digits")
        check("name", fields.name, NameRules.isDNSSubdomain,
              "a DNS-1123 subdomain: lowercase letters, digits, \"-\" and \".\", at most 253 characters")
        check("namespace", fields.namespace, { NameRules.isDNSLabel($0) },
              "a DNS-1123 label: lowercase letters, digits and \"-\", at most 63 characters")
        let action = fields.action.flatMap(TriggerAction.init(rawValue:))
        if let written = fields.action, action == nil {
            let allowed = TriggerAction.allCases.map(\.rawValue).joined(separator: ", ")
            let hint = nearest(to: written, in: TriggerAction.allCases.map(\.rawValue), maxDistance: 2).map { " (did you mean \(quoted($0))?)" } ?? ""
            report(itemPath(position) + ".action", "unsupported value \(quoted(written)): want one of \(allowed)\(hint)")
            valid = false
        }
        if valid, let apiVersion = fields.apiVersion, let kind = fields.kind, let action,
           !TriggerTargets.supports(action, apiVersion: apiVersion, kind: kind) {
            report(itemPath(position) + ".apiVersion", "\(quoted(apiVersion)) kind \(quoted(kind)) is not a supported target for "
                + "\(action.rawValue): supported are \(TriggerTargets.supportedList(for: action))")
            valid = false
        }
        return valid
    }

    /// Duplicate items, and items that target the job itself. Lists are short (at most ``Trigger/maxCount``), so
    /// each item is compared with the ones before it rather than hashed.
    private mutating func checkAgainstEachOther(_ items: [Trigger?]) {
        var seen: [(key: Trigger, position: Int)] = []
        seen.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            guard var key = item else { continue }
            if let owner {
                key.namespace = key.namespace ?? owner.namespace
                if key.namespace == owner.namespace, key.name == owner.name, key.kind == "NotebookValidationJob",
                   key.apiVersion.hasPrefix("mlops.mlops.dev/") {
                    report(itemPath(position), "targets the job itself; a job cannot trigger itself")
                }
            }
            if let first = seen.first(where: { $0.key == key }) {
                report(itemPath(position), "duplicate of [\(first.position)] (same apiVersion, kind, namespace, name and action); remove one")
            } else {
                seen.append((key, position))
            }
        }
    }

    /// The message path of the item at `position`; made only when a problem is reported.
    private func itemPath(_ position: Int) -> String {
        "\(triggerPath)[\(position)]"
    }

    /// Moves past the node at `index`, whole collections included.
    private mutating func skipNode() {
        var depth = 0
        repeat {
            switch events[index].kind {
            case .sequenceStart, .mappingStart: depth += 1
            case .sequenceEnd, .mappingEnd: depth -= 1
            case .scalar: break
            }
            index += 1
        } while depth > 0
    }

    private mutating func report(_ path: String, _ message: String) {
        problems.append(AnnotationProblem(path: path, message: message))
    }

    private func describe(_ kind: YAMLEvent.Kind) -> String {
        switch kind {
        case .sequenceStart, .sequenceEnd: return "a list"
        case .mappingStart, .mappingEnd: return "a mapping"
        case let .scalar(value, plain):
            switch ScalarType(value, plain: plain) {
            case .string: return "a string \(quoted(value))"
            case .null: return "an empty value"
            case .boolean, .number: return "\(ScalarType(value, plain: plain).rawValue) \(value); quote it if it is meant as text"
            }
        }
    }
}
