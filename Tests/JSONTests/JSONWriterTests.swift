import JSON
import Testing

@Suite struct JSONWriterTests {
    @Test func escapesWhatJSONRequires() {
        #expect(JSONWriter.quoted("a\"b\\c\n\r\t\u{1}\u{1f}\u{7f} é😀/") == #""a\"b\\c\n\r\t\u0001\u001f\u007f é😀/""#)
    }

    @Test func quotedTextReadsBack() throws {
        let text = "x\u{0}\"\\\u{2028}\u{85}\u{10FFFF}"
        var reader = JSONReader(Array(JSONWriter.quoted(text).utf8))
        #expect(try reader.readString() == text)
    }

    @Test func rawAndStringsCompose() {
        var writer = JSONWriter()
        writer.raw("{")
        writer.string("k")
        writer.raw(":[1,true]}")
        #expect(writer.bytes == Array(#"{"k":[1,true]}"#.utf8))
    }

    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func base64MatchesRFC4648(input: String, encoded: String) {
        var writer = JSONWriter()
        writer.base64String(Array(input.utf8))
        #expect(writer.bytes == Array("\"\(encoded)\"".utf8))
    }

    @Test func pointerEscapesTokens() {
        #expect(jsonPointer(["metadata", "annotations", "mlops.dev/a~b"]) == "/metadata/annotations/mlops.dev~1a~0b")
        #expect(jsonPointer([]) == "")
    }
}
