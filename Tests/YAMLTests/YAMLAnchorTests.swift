import Testing
import YAML

/// Loads one document, failing the test when there is none.
private func load(_ text: String) throws -> YAMLNode {
    try #require(try YAMLNode.load(text))
}

/// The error loading `text` as a stream of documents gives, if any.
private func loadError(_ text: String) -> YAMLError? {
    #expect(throws: YAMLError.self) { try YAMLNode.loadDocuments(text) { _ in } }
}

@Suite struct YAMLAnchorTests {
    @Test func aliasesGiveTheTreeWrittenOut() throws {
        let node = try load("""
            name: &name web
            ports: &ports [80, "443"]
            labels: &labels
              app: *name
              tier: front
            copy:
              name: *name
              ports: *ports
              labels: *labels
            """)
        let written = try load("""
            name: web
            ports: [80, "443"]
            labels:
              app: web
              tier: front
            copy:
              name: web
              ports: [80, "443"]
              labels:
                app: web
                tier: front
            """)
        #expect(node.description == written.description)
        #expect(node["copy"]?["ports"]?.items?[1].scalarType == .string)
        #expect(node["copy"]?["ports"]?.items?[0].scalarType == .number)
    }

    @Test func aliasesNameTheLatestAnchorOfTheirName() throws {
        let node = try load("a: &x 1\nb: *x\nc: &x 2\nd: *x\n")
        #expect(node.description == "{a: 1, b: 1, c: 2, d: 2}")
    }

    @Test func mergeKeysGiveTheMappingWrittenOut() throws {
        let node = try load("""
            base: &base {image: app, replicas: 1, port: 80}
            extra: &extra {replicas: 5, debug: true}
            one:
              name: one
              <<: *base
              port: 8080
            two:
              <<: [*extra, *base]
              name: two
            inline:
              <<: {a: 1}
              b: 2
            """)
        #expect(node["one"]?.description == "{name: one, image: app, replicas: 1, port: 8080}")
        #expect(node["two"]?.description == "{replicas: 5, debug: true, image: app, port: 80, name: two}")
        #expect(node["inline"]?.description == "{a: 1, b: 2}")
        #expect(node["one"]?["<<"] == nil)
    }

    @Test func aQuotedMergeKeyIsAnOrdinaryKey() throws {
        let node = try load("base: &b {x: 1}\nm:\n  '<<': *b\n")
        #expect(node["m"]?.description == "{<<: {x: 1}}")
    }

    @Test(arguments: [
        ("!!str 123", "123", YAMLScalarType.string), ("!!str true", "true", .string), ("!!int \"12\"", "12", .number),
        ("!!float '1.5'", "1.5", .number), ("!!bool \"yes\"", "yes", .boolean), ("!!null ''", "", .null), ("!!str", "", .string),
    ])
    func standardScalarTags(written: String, text: String, type: YAMLScalarType) throws {
        let node = try load("value: \(written)\n")
        #expect(node["value"]?.text == text)
        #expect(node["value"]?.scalarType == type, "\(written)")
    }

    @Test func standardCollectionTags() throws {
        let node = try load("m: !!map {a: 1}\ns: !!seq [1, 2]\n!!str k: v\n")
        #expect(node.description == "{m: {a: 1}, s: [1, 2], k: v}")
    }

    @Test(arguments: [
        ("a: *x\n", "YAML alias *x has no anchor &x before it in its document (anchors do not carry over ---) at line 1, column 4"),
        ("a: 1\nb: &x [1, *x]\n", "YAML alias *x is inside the node anchored &x at line 2, column 11"),
        ("a: &x 1\n---\nb: *x\n", "YAML alias *x has no anchor &x before it in its document (anchors do not carry over ---) at line 3, column 4"),
        ("a: &x [1]\nm:\n  <<: *x\n", "the << merge key wants a mapping or a list of mappings, got number 1 at line 1, column 8"),
        ("m:\n  <<: [{a: 1}, b]\n", #"the << merge key wants a mapping or a list of mappings, got a string "b" at line 2, column 16"#),
        ("m:\n  <<: {a: 1}\n  <<: {b: 2}\n", #"duplicate key "<<" at line 3, column 3"#),
        ("a: !!int abc\n", #"YAML tag !!int does not fit a string "abc" at line 1, column 4"#),
        ("a: !!bool 1\n", #"YAML tag !!bool does not fit a string "1" at line 1, column 4"#),
        ("a: !!seq {b: 1}\n", "YAML tag !!seq does not fit a mapping at line 1, column 4"),
        ("a: !!map x\n", #"YAML tag !!map does not fit a string "x" at line 1, column 4"#),
        ("a: !!binary aGk=\n", "YAML tag !!binary is not supported; use one of !!str, !!int, !!float, !!bool, !!null, !!map, !!seq at line 1, column 4"),
        ("a: !custom x\n", "YAML tag !custom is not supported; use one of !!str, !!int, !!float, !!bool, !!null, !!map, !!seq at line 1, column 4"),
        ("k: &k x\n*k : y\n", "mapping keys must be plain strings at line 2, column 1"),
    ])
    func errorsSayWhatAndWhere(text: String, message: String) {
        #expect(loadError(text)?.description == message)
    }

    @Test func billionLaughsFailsFast() {
        var text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            text += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let start = ContinuousClock.now
        let error = loadError(text)
        let elapsed = ContinuousClock.now - start
        #expect(error?.message == "YAML aliases expand to more than \(maxYAMLAliasNodes) nodes in one document; write fewer aliases")
        #expect(error?.mark?.line == 6)
        #expect(elapsed < .milliseconds(200), "took \(elapsed)")
    }

    @Test func aliasesUpToTheBoundLoad() throws {
        let items = Array(repeating: "x", count: 999).joined(separator: ", ")
        let aliases = Array(repeating: "*a", count: 100).joined(separator: ", ")
        let node = try load("a: &a [\(items)]\nb: [\(aliases)]\n")
        #expect(node["b"]?.items?.count == 100)
        #expect(loadError("a: &a [\(items)]\nb: [\(aliases), *a]\n")?.message.hasPrefix("YAML aliases expand to more than") == true)
    }

    /// The annotation path (``scanYAMLEvents(_:)``) still refuses what the loaders expand.
    @Test(arguments: [
        ("a: &anchor 1\n", "YAML anchors are not allowed; write each value out at line 1, column 4"),
        ("a: 1\nb: *anchor\n", "YAML aliases are not allowed; write the value out at line 2, column 4"),
        ("a: !!str 1\n", "YAML tags are not allowed; write plain values at line 1, column 4"),
        ("a: &x !!str 1\n", "YAML anchors are not allowed; write each value out at line 1, column 4"),
        ("- {a: 1, <<: {b: 2}}\n", ""),
    ])
    func eventScannerRefusesAnchorsAliasesAndTags(text: String, message: String) throws {
        if message.isEmpty {
            let events = try scanYAMLEvents(text)
            #expect(events.count == 11, "a merge key is an ordinary key there")
        } else {
            let error = #expect(throws: YAMLError.self) { try scanYAMLEvents(text) }
            #expect(error?.description == message)
        }
    }
}
