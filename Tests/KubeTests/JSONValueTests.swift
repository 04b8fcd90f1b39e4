import Kube
import Testing

struct JSONValueTests {
    @Test func roundTripKeepsOrderAndBytes() throws {
        let fixture = try Fixture("19-")
        let value = try JSONValue(parsing: fixture.body)
        #expect(value.bytes + [0x0A] == fixture.body)
        #expect(value["metadata", "name"]?.stringValue == "churn-model")
        #expect(value["metadata", "generation"]?.intValue == 1)
        #expect(value["status", "phase"] == "Running")
    }

    @Test func escapesAndUnicode() throws {
        let value = try JSONValue(parsing: Array(#"{"a":"q\"\\\n\t\u0001 \u00e9 \ud83d\ude00 /","b":[1,-2.5,true,null,1e3]}"#.utf8))
        #expect(value["a"]?.stringValue == "q\"\\\n\t\u{01} é 😀 /")
        #expect(value["b"] == [1, .double(-2.5), true, nil, .double(1000)])
        #expect(value.description == #"{"a":"q\"\\\n\t\u0001 é 😀 /","b":[1,-2.5,true,null,1000.0]}"#)
    }

    @Test(arguments: ["", "{", #"{"a" 1}"#, "[1,]", "tru", #""abc"#, "{} x", #"{"a":1,}"#])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
    }

    @Test func setReplacesInPlaceOrAppends() {
        var value: JSONValue = ["a": 1, "b": 2]
        value.set("a", 3)
        value.set("c", "x")
        #expect(value.description == #"{"a":3,"b":2,"c":"x"}"#)
        #expect(value.stringMap == ["c": "x"])
    }

    @Test func jsonPatchPointerEscapes() {
        let operation = JSONPatchOperation.remove(["metadata", "annotations", "mlops.dev/wave~complete"])
        #expect(operation.json.description == #"{"op":"remove","path":"/metadata/annotations/mlops.dev~1wave~0complete"}"#)
    }
}
