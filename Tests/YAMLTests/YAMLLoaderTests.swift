import Testing
import YAML

/// Loads one document, failing the test when there is none.
private func load(_ text: String) throws -> YAMLNode {
    try #require(try YAMLNode.load(text))
}

/// Loads every document of a stream.
private func loadAll(_ text: String) throws(YAMLError) -> [YAMLNode] {
    var documents: [YAMLNode] = []
    try YAMLNode.loadDocuments(text) { documents.append($0) }
    return documents
}

@Suite struct YAMLLoaderTests {
    @Test func blockStyle() throws {
        let node = try load("""
            kind: Config
            clusters:
            - name: a
              cluster:
                server: https://h:6443
            - name: b
            empty:
            """)
        #expect(node.description == "{kind: Config, clusters: [{name: a, cluster: {server: https://h:6443}}, {name: b}], empty: }")
        #expect(node["clusters"]?.items?.count == 2)
        #expect(node["clusters"]?.items?[0]["cluster"]?["server"]?.text == "https://h:6443")
        #expect(node["missing"] == nil && node["kind"]?["x"] == nil && node["kind"]?.items == nil)
    }

    @Test func flowStyle() throws {
        let node = try load(#"{a: [1, "two", 'three', [], {}], b: {c: null}}"#)
        #expect(node.description == #"{a: [1, "two", "three", [], {}], b: {c: null}}"#)
        #expect(node["a"]?.items?.map(\.text) == ["1", "two", "three", nil, nil])
    }

    @Test func keysKeepTheirOrder() throws {
        let node = try load("zeta: 1\nalpha: 2\nmid: 3\n")
        #expect(node.entries.map { Array($0.keys) } == ["zeta", "alpha", "mid"])
    }

    @Test(arguments: [
        ("true", YAMLScalarType.boolean), ("\"true\"", .string), ("'yes'", .string), ("off", .boolean),
        ("123", .number), ("'123'", .string), ("-1.5e3", .number), ("0x1F", .number), (".inf", .number),
        ("null", .null), ("~", .null), ("", .null), ("\"\"", .string), ("text", .string), ("|\n  123\n", .string),
        (">\n  true\n", .string), ("1.2.3", .string),
    ])
    func plainScalarsResolveQuotedOnesStayStrings(written: String, type: YAMLScalarType) throws {
        let node = try load("value: \(written)\n")
        #expect(node["value"]?.scalarType == type, "\(written)")
    }

    @Test func scalarTextsAndStyles() throws {
        let node = try load("""
            plain: 123
            quoted: "a\\tb"
            single: 'it''s'
            literal: |
              line one
              line two
            folded: >-
              folded
              text
            """)
        #expect(node["plain"]?.text == "123")
        #expect(node["quoted"]?.text == "a\tb")
        #expect(node["single"]?.text == "it's")
        #expect(node["literal"]?.text == "line one\nline two\n")
        #expect(node["folded"]?.text == "folded text")
        guard case .scalar(_, let plain)? = node["literal"]?.content else {
            Issue.record("literal is not a scalar")
            return
        }
        #expect(!plain)
    }

    @Test func nodesKnowWhereTheyStart() throws {
        let node = try load("a: 1\nb:\n  - x\n  - {c: d}\n")
        #expect(node.mark == YAMLMark(line: 1, column: 1))
        #expect(node["a"]?.mark == YAMLMark(line: 1, column: 4))
        #expect(node["b"]?.items?[1].mark == YAMLMark(line: 4, column: 5))
        #expect(node["b"]?.items?[1]["c"]?.mark == YAMLMark(line: 4, column: 9))
    }

    @Test func multiDocumentStreams() throws {
        let documents = try loadAll("""
            # leading comment
            apiVersion: v1
            kind: ConfigMap
            ---
            - one
            - two
            ---
            ---
            just text
            ...
            """)
        #expect(documents.map(\.description) == ["{apiVersion: v1, kind: ConfigMap}", "[one, two]", "", "just text"])
        #expect(documents[2].scalarType == .null)
        #expect(try loadAll("").isEmpty)
        #expect(try loadAll("# only a comment\n").isEmpty)
        #expect(try YAMLNode.load("") == nil)
    }

    @Test func oneDocumentLoadRefusesASecond() {
        let error = #expect(throws: YAMLError.self) { try YAMLNode.load("a: 1\n---\nb: 2\n") }
        #expect(error?.description == "several YAML documents are not allowed at line 2, column 1")
    }

    @Test func documentsBeforeAnErrorAreHandedOver() {
        var seen: [String] = []
        let error = #expect(throws: YAMLError.self) {
            try YAMLNode.loadDocuments("a: 1\n---\nb: 2\n---\nc: [\n") { seen.append($0.description) }
        }
        #expect(seen == ["{a: 1}", "{b: 2}"])
        #expect(error?.mark?.line == 6)
        #expect(error?.message.hasPrefix("invalid YAML: did not find expected node content") == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("a: 1\n  b: 2\n", "invalid YAML: mapping values are not allowed in this context at line 2, column 4"),
        ("a: 1\nb: [x, y\n", "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence) at line 3, column 1"),
        ("key: \"open\n", "invalid YAML: found unexpected end of stream (while scanning a quoted scalar) at line 2, column 1"),
        ("a: 1\nb: 2\na: 3\n", #"duplicate key "a" at line 3, column 1"#),
        ("x: {k: 1, k: 2}\n", #"duplicate key "k" at line 1, column 11"#),
        ("? [a, b]\n: c\n", "mapping keys must be plain strings at line 1, column 3"),
    ])
    func errorsSayWhatAndWhere(text: String, message: String) {
        let error = #expect(throws: YAMLError.self) { try loadAll(text) }
        #expect(error?.description == message)
    }

    /// Small mappings are checked by scanning their keys, large ones by hashing: duplicates are found either way.
    @Test(arguments: [3, 16, 17, 40])
    func duplicateKeysAreFoundInMappingsOfEverySize(keys: Int) throws {
        let distinct = (1...keys).map { "k\($0): \($0)" }.joined(separator: "\n") + "\n"
        #expect(try load(distinct).entries?.count == keys)
        for repeated in Set([1, keys / 2, keys]) {
            let error = #expect(throws: YAMLError.self) { try YAMLNode.load(distinct + "k\(repeated): again\n") }
            #expect(error?.description == "duplicate key \"k\(repeated)\" at line \(keys + 1), column 1")
            let flow = "{" + (1...keys).map { "k\($0): \($0)" }.joined(separator: ", ") + ", k\(repeated): again}"
            #expect(throws: YAMLError.self) { try scanYAMLEvents(flow) }
        }
    }

    @Test func emptyTextHoldsNoDocument() throws {
        #expect(try scanYAMLEvents("").isEmpty)
        #expect(try YAMLNode.load("") == nil)
    }

    @Test func nestingIsRefusedOneLevelPastTheLimit() throws {
        let deepest = String(repeating: "[", count: maxYAMLNesting) + String(repeating: "]", count: maxYAMLNesting)
        var level = 0
        var current: YAMLNode? = try load(deepest)
        while let items = current?.items {
            level += 1
            current = items.first
        }
        #expect(level == maxYAMLNesting)
        let error = #expect(throws: YAMLError.self) { try scanYAMLEvents(String(repeating: "[", count: 8192)) }
        #expect(error?.description == "YAML nested deeper than 64 levels is not allowed at line 1, column 65")
        let block = (0...maxYAMLNesting).map { String(repeating: " ", count: 2 * $0) + "k\($0):" }.joined(separator: "\n")
        let blockError = #expect(throws: YAMLError.self) { try YAMLNode.load(block + " x\n") }
        #expect(blockError?.description == "YAML nested deeper than 64 levels is not allowed at line 65, column 129")
    }
}
