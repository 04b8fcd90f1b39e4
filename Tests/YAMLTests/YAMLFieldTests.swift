import Testing
import YAML

@Suite struct YAMLFieldTests {
    private let node: YAMLNode? = try? YAMLNode.load("""
        name: a
        port: 8080
        on: yes
        off: "false"
        nothing: ~
        items: [1, 2]
        nested: {x: y}
        """)

    @Test func readsTypedFields() throws {
        let node = try #require(node)
        #expect(try node.string("name") == "a")
        #expect(try node.string("port") == "8080")
        #expect(try node.string("missing") == nil)
        #expect(try node.string("nothing") == nil)
        #expect(try node.bool("on") == true)
        #expect(try node.bool("nothing") == nil)
        #expect(try node.list("items").map(\.description) == ["1", "2"])
        #expect(try node.list("missing").isEmpty)
        #expect(try node.field("nested")?["x"]?.text == "y")
    }

    @Test(arguments: [
        ("off", #"off: want true or false, got a string "false" at line 4, column 6"#),
        ("port", "port: want true or false, got number 8080 at line 2, column 7"),
        ("items", "items: want true or false, got a list at line 6, column 8"),
    ])
    func wrongBooleansSayWhere(key: String, message: String) throws {
        let node = try #require(node)
        let error = #expect(throws: YAMLError.self) { try node.bool(key) }
        #expect(error?.description == message)
    }

    @Test func wrongShapesSayWhere() throws {
        let node = try #require(node)
        #expect(throws: YAMLError.self) { try node.string("nested") }
        let list = #expect(throws: YAMLError.self) { try node.list("name") }
        #expect(list?.description == #"name: want a list, got a string "a" at line 1, column 7"#)
        let notMapping = #expect(throws: YAMLError.self) { try node.field("items")?.string("x") }
        #expect(notMapping?.description == "want a mapping, got a list at line 6, column 8")
    }
}
