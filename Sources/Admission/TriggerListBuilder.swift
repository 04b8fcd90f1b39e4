/// Builds triggers from the node events of a trigger annotation, collecting every problem with its path.
struct TriggerListBuilder {
    let events: [YAMLEvent]
    let owner: TriggerOwner?
    private var index = 0
    private(set) var problems: [AnnotationProblem] = []
    /// Where each item read so far starts.
    private var itemPlaces: [ValuePlace] = []

    init(events: [YAMLEvent], owner: TriggerOwner?) {
        self.events = events
        self.owner = owner
    }

    /// The valid triggers; `problems` says what is wrong with the rest.
    mutating func build() -> [Trigger] {
        let emptyDetail = "want a list of triggers; remove the annotation if the job triggers nothing"
        guard let first = events.first else {
            problems.append(.required(triggerPath, emptyDetail))
            return []
        }
        switch first.kind {
        case .sequenceStart:
            break
        case let .scalar(value, plain) where ScalarType(value, plain: plain) == .null:
            problems.append(.required(triggerPath, emptyDetail, at: place(first)))
            return []
        default:
            problems.append(.invalid(
                triggerPath, describe(first.kind),
                "want a list of triggers (a YAML sequence of mappings, each item starting with \"- \")", at: place(first)))
            return []
        }
        index = 1
        var items: [Trigger?] = []
        items.reserveCapacity(Trigger.maxCount + 1)
        while events[index].kind != .sequenceEnd {
            items.append(readItem(items.count))
        }
        if items.isEmpty {
            problems.append(.required(triggerPath, emptyDetail, at: place(first)))
        } else if items.count > Trigger.maxCount {
            problems = [.tooMany(triggerPath, items.count, limit: Trigger.maxCount)]
            return []
        }
        checkAgainstEachOther(items)
        return items.compactMap { $0 }
    }

    /// Reads one item (a mapping of fields) and checks its fields; `nil` when it is not a valid trigger.
    private mutating func readItem(_ position: Int) -> Trigger? {
        let start = events[index]
        // Every item has its place, a mapping or not, so that `itemPlaces` lines up with the items' positions.
        itemPlaces.append(place(start))
        guard start.kind == .mappingStart else {
            problems.append(.invalid(
                itemPath(position), describe(start.kind), "want a mapping with fields apiVersion, kind, name, action", at: place(start)))
            skipNode()
            return nil
        }
        index += 1
        var fields = TriggerFields()
        var valid = true
        while case let .scalar(field, _) = events[index].kind {
            let key = events[index]
            index += 1
            let value = events[index]
            if let slot = Trigger.fields.firstIndex(of: field) {
                fields.markWritten(slot)
                fields.places[slot] = place(value)
                if case let .scalar(text, plain) = value.kind, ScalarType(text, plain: plain) == .string {
                    fields[slot] = text
                } else {
                    problems.append(.invalid(itemPath(position) + "." + field, describe(value.kind), typeDetail(value.kind), at: place(value)))
                    valid = false
                }
            } else {
                let hint = nearest(to: field, in: Trigger.fields, maxDistance: 2).map { " (did you mean \(quoted($0))?)" } ?? ""
                let allowed = Trigger.fields.joined(separator: ", ")
                problems.append(.forbidden(
                    itemPath(position) + "." + field, "unknown field: allowed fields are \(allowed)\(hint)", at: place(key)))
                valid = false
            }
            skipNode()
        }
        index += 1
        for (slot, field) in Trigger.fields.enumerated() where field != "namespace" && !fields.isWritten(slot) {
            problems.append(.required(itemPath(position) + "." + field, at: place(start)))
            valid = false
        }
        return checkFields(fields, position: position, at: place(start)) && valid ? fields.trigger : nil
    }

    /// Applies the per-field rules and the action/target matrix; true when every present field is valid.
    private mutating func checkFields(_ fields: TriggerFields, position: Int, at itemPlace: ValuePlace) -> Bool {
        var valid = true
        func check(_ field: String, _ value: String?, _ rule: (String) -> Bool, _ want: String) {
            if let value, !rule(value), let slot = Trigger.fields.firstIndex(of: field) {
                problems.append(.invalid(itemPath(position) + "." + field, quoted(value), "want \(want)", at: fields.places[slot]))
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
            let allowed = TriggerAction.allCases.map(\.rawValue)
            let hint = nearest(to: written, in: allowed, maxDistance: 2).map { " (did you mean \(quoted($0))?)" }
            let supported = "supported values: " + allowed.map(quoted).joined(separator: ", ") + (hint ?? "")
            problems.append(.notSupported(itemPath(position) + ".action", written, supported, at: fields.places[4]))
            valid = false
        }
        if valid, let apiVersion = fields.apiVersion, let kind = fields.kind, let action,
           !TriggerTargets.supports(action, apiVersion: apiVersion, kind: kind) {
            problems.append(.notSupported(
                itemPath(position) + ".apiVersion", apiVersion,
                "kind \(quoted(kind)) is not a supported target for \(action.rawValue): supported are \(TriggerTargets.supportedList(for: action))",
                at: fields.places[0] ?? itemPlace))
            valid = false
        }
        return valid
    }

    /// Duplicate items, and items that target the job itself. Lists are short (at most ``Trigger/maxCount``), so
    /// each item is compared with the ones before it rather than hashed.
    private mutating func checkAgainstEachOther(_ items: [Trigger?]) {
        let places = itemPlaces
        var seen: [(key: Trigger, position: Int)] = []
        seen.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            guard var key = item else { continue }
            if let owner {
                key.namespace = key.namespace ?? owner.namespace
                if key.namespace == owner.namespace, key.name == owner.name, key.kind == "NotebookValidationJob",
                   key.apiVersion.hasPrefix("mlops.mlops.dev/") {
                    problems.append(.forbidden(itemPath(position), "targets the job itself; a job cannot trigger itself", at: places[position]))
                }
            }
            if let first = seen.first(where: { $0.key == key }) {
                problems.append(.duplicate(
                    itemPath(position), "same apiVersion, kind, namespace, name and action as [\(first.position)]; remove one",
                    at: places[position]))
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

    /// Where an event's node starts in the annotation value.
    private func place(_ event: YAMLEvent) -> ValuePlace {
        ValuePlace(line: event.mark.line, column: event.mark.column)
    }

    /// A node as an `Invalid value` prints it: a string quoted, a number, boolean or `null` as written, a collection by its kind.
    private func describe(_ kind: YAMLEvent.Kind) -> String {
        switch kind {
        case .sequenceStart, .sequenceEnd: return "a list"
        case .mappingStart, .mappingEnd: return "a mapping"
        case let .scalar(value, plain):
            switch ScalarType(value, plain: plain) {
            case .string: return quoted(value)
            case .null: return "null"
            case .boolean, .number: return value
            }
        }
    }

    /// What a field that is not a string wants, with the hint to quote a number or boolean.
    private func typeDetail(_ kind: YAMLEvent.Kind) -> String {
        if case let .scalar(value, plain) = kind, [.boolean, .number].contains(ScalarType(value, plain: plain)) {
            return "want a string; quote it if it is meant as text"
        }
        return "want a string"
    }
}
