import JSON
import Testing

/// Reads one value of any kind back into a comparable description, through the reader's public calls only.
private func render(_ reader: inout JSONReader) throws(JSONSyntaxError) -> String {
    switch try reader.nextKind() {
    case .object:
        var parts: [String] = []
        try reader.readObject { (reader, key) throws(JSONSyntaxError) in parts.append("\(key)=\(try render(&reader))") }
        return "{" + parts.joined(separator: ",") + "}"
    case .array:
        var parts: [String] = []
        try reader.readArray { (reader) throws(JSONSyntaxError) in parts.append(try render(&reader)) }
        return "[" + parts.joined(separator: ",") + "]"
    case .string: return "s:" + (try reader.readString())
    case .number:
        switch try reader.readNumber() {
        case .int(let value): return "i:\(value)"
        case .double(let value): return "d:\(value)"
        }
    case .bool: return "b:\(try reader.readBool())"
    case .null:
        _ = try reader.readNull()
        return "null"
    }
}

private func render(_ text: String) throws(JSONSyntaxError) -> String {
    var reader = JSONReader(Array(text.utf8))
    let result = try render(&reader)
    try reader.expectEnd()
    return result
}

/// The error from `read` and then `expectEnd` on `text`; nil when the text reads.
private func failure(_ text: String, _ read: (inout JSONReader) throws(JSONSyntaxError) -> Void) -> JSONSyntaxError? {
    var reader = JSONReader(Array(text.utf8))
    do {
        try read(&reader)
        try reader.expectEnd()
        return nil
    } catch {
        return error
    }
}

private func error(_ text: String) -> JSONSyntaxError? {
    failure(text) { (reader) throws(JSONSyntaxError) in _ = try render(&reader) }
}

private func skipError(_ text: String) -> JSONSyntaxError? {
    failure(text) { (reader) throws(JSONSyntaxError) in try reader.skipValue() }
}

@Suite struct JSONReaderTests {
    @Test func readsEveryKind() throws {
        #expect(try render(#" { "a" : [1, -0, 2.5, -1e3, 1E+2, 9223372036854775808], "b":{}, "c":[], "d":true, "e":false, "f":null } "#)
            == "{a=[i:1,i:0,d:2.5,d:-1000.0,d:100.0,d:9.223372036854776e+18],b={},c=[],d=b:true,e=b:false,f=null}")
    }

    @Test func decodesEscapes() throws {
        #expect(try render(#""q\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00 é""#) == "s:q\"\\/\u{8}\u{c}\n\r\tAé😀 é")
    }

    @Test(arguments: [
        (#""\ud83d""#, "unpaired surrogate in a \\u escape", 7),
        (#""\ud83d\u0041""#, "unpaired surrogate in a \\u escape", 13),
        (#""\ude00""#, "invalid \\u escape", 7),
        (#""\x""#, "invalid escape in a string", 2),
        (#""\u12G4""#, "invalid \\u escape", 3),
        ("\"a\u{1}\"", "control character in a string", 2),
        (#""abc"#, "the body ends inside a string", 4),
        ("", "the body ends where a value should start", 0),
        ("[1,]", "unexpected character ']'", 3),
        (#"{"a" 1}"#, "expected ':' after an object key", 5),
        (#"{"a":1,}"#, "expected a string", 7),
        (#"{1:2}"#, "expected a string", 1),
        ("[1 2]", "expected ',' or ']' in an array", 3),
        (#"{"a":1"#, "the body ends inside an object", 6),
        ("tru", "expected true", 0),
        ("nul", "expected null", 0),
        ("01", "unexpected data after the JSON value", 1),
        ("-", "malformed number", 1),
        ("1.", "malformed number", 2),
        ("1e+", "malformed number", 3),
        ("{} x", "unexpected data after the JSON value", 3),
        ("\u{7}", "unexpected byte 0x7", 0),
    ] as [(String, String, Int)])
    func rejectsInvalidText(text: String, reason: String, offset: Int) {
        #expect(error(text) == JSONSyntaxError(offset: offset, reason: reason))
    }

    @Test func rejectsInvalidUTF8() {
        var reader = JSONReader([UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\"")])
        #expect(throws: JSONSyntaxError(offset: 2, reason: "a string is not valid UTF-8")) { try reader.readString() }
    }

    @Test func keysMatchLiteralsByteByByte() throws {
        var reader = JSONReader(Array(#"{"uid":1,"u\u0069d":2,"uidx":3,"ui":4,"":5,"é":6}"#.utf8))
        var matches: [Bool] = []
        var keys: [String] = []
        try reader.readMembers { (reader, key) throws(JSONSyntaxError) in
            if case "uid" = key { matches.append(true) } else { matches.append(false) }
            keys.append(key.string)
            try reader.skipValue()
        }
        try reader.expectEnd()
        #expect(matches == [true, true, false, false, false, false])
        #expect(keys == ["uid", "uid", "uidx", "ui", "", "é"])
    }

    @Test func stringRunsEndAtEveryOffset() throws {
        for length in 0..<20 {
            for filler in ["a", "é", "\u{2028}", "~"] {
                let run = String(repeating: filler, count: length)
                for (raw, decoded) in [(#"\""#, "\""), (#"\\"#, "\\"), (#"\n"#, "\n"), ("", "")] {
                    let text = "\"" + run + raw + run + "\" "
                    var reader = JSONReader(Array(text.utf8))
                    #expect(try reader.readString() == run + decoded + run)
                    var skipper = JSONReader(Array(text.utf8))
                    try skipper.skipString()
                    #expect(skipper.offset == reader.offset)
                }
                let control = Array(("\"" + run + "\u{1F}\"").utf8)
                let offset = run.utf8.count + 1
                var reader = JSONReader(control)
                #expect(throws: JSONSyntaxError(offset: offset, reason: "control character in a string")) { try reader.readString() }
                var skipper = JSONReader(control)
                #expect(throws: JSONSyntaxError(offset: offset, reason: "control character in a string")) { try skipper.skipString() }
            }
        }
    }

    @Test func invalidUTF8IsFoundAtEveryOffsetAndOnlyInsideTheString() throws {
        for length in 0..<20 {
            for offset in 0..<length {
                var content = Array(repeating: UInt8(ascii: "a"), count: length)
                content[offset] = 0xFF
                var reader = JSONReader([UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")])
                #expect(throws: JSONSyntaxError(offset: length + 1, reason: "a string is not valid UTF-8")) { try reader.readString() }
            }
            let text = [UInt8(ascii: "\"")] + Array(repeating: UInt8(ascii: "b"), count: length) + [UInt8(ascii: "\"")]
            var reader = JSONReader(text + Array(repeating: 0xFF, count: 9))
            #expect(try reader.readString() == String(repeating: "b", count: length))
        }
    }

    /// Found by fuzz-json: skipping accepted strings that reading refuses (bad UTF-8, unpaired surrogate escapes).
    @Test func skipRefusesWhatReadingRefuses() throws {
        for (text, reason) in [
            ([0x22, 0x61, 0xC3, 0x28, 0x22], "a string is not valid UTF-8"),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], "a string is not valid UTF-8"),
            (Array(#""\ud800""#.utf8), "unpaired surrogate in a \\u escape"),
            (Array(#""\ud800\u0041""#.utf8), "unpaired surrogate in a \\u escape"),
            (Array(#""\udc00""#.utf8), "invalid \\u escape"),
        ] as [([UInt8], String)] {
            var reader = JSONReader(text)
            let readFailure = try #require(throws: JSONSyntaxError.self) { try reader.readString() }
            var skipper = JSONReader([UInt8(ascii: "[")] + text + [UInt8(ascii: "]")])
            let skipFailure = try #require(throws: JSONSyntaxError.self) { try skipper.skipValue() }
            #expect(readFailure.reason == reason)
            #expect(skipFailure == JSONSyntaxError(offset: readFailure.offset + 1, reason: reason))
        }
        var reader = JSONReader(Array(#"["é\ud83d\ude00😀"]"#.utf8))
        try reader.skipValue()
        try reader.expectEnd()
    }

    @Test func readObjectTakesNullAsEmpty() throws {
        var reader = JSONReader(Array("null".utf8))
        var keys: [String] = []
        try reader.readObject { (reader, key) throws(JSONSyntaxError) in keys.append(key) }
        try reader.expectEnd()
        #expect(keys.isEmpty)
    }

    @Test func skipsOnlyWhatItIsAskedTo() throws {
        var reader = JSONReader(Array(#"{"skip":{"a":[1,{"b":"\"}"}],"c":null},"keep":"k","tail":[[]]}"#.utf8))
        var kept: [String] = []
        try reader.readObject { (reader, key) throws(JSONSyntaxError) in
            if key == "keep" { kept.append(try reader.readString()) } else { try reader.skipValue() }
        }
        try reader.expectEnd()
        #expect(kept == ["k"])
    }

    @Test(arguments: [
        ("[1 2]", "expected ',' or ']' in an array", 3),
        (#"{"a" "b"}"#, "expected ':' after an object key", 5),
        (#"{"a":1,2:3}"#, "expected a string", 7),
        (#"[{"a":1]"#, "expected ',' or '}' in an object", 7),
        (#"["\x"]"#, "invalid escape in a string", 3),
        (#"["\u00"]"#, "invalid \\u escape", 4),
        ("[01]", "expected ',' or ']' in an array", 2),
        ("[[", "the body ends where a value should start", 2),
        ("[[]", "the body ends inside an array", 3),
    ] as [(String, String, Int)])
    func skipChecksSyntax(text: String, reason: String, offset: Int) {
        #expect(skipError(text) == JSONSyntaxError(offset: offset, reason: reason))
    }

    @Test func nestingIsLimited() throws {
        let limit = JSONReader.maxDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try render(deepest).count == 2 * limit)
        #expect(skipError(deepest) == nil)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let expected = JSONSyntaxError(offset: limit + 1, reason: "nested more than \(limit) levels deep")
        #expect(error(tooDeep) == expected)
        #expect(skipError(tooDeep) == expected)
        #expect(skipError(String(repeating: "[", count: 200_000)) == expected)
    }

    @Test func skipTracksObjectsAndArraysBeyondOneWordOfLevels() throws {
        let levels = 150
        let open = (0..<levels).map { $0 % 3 == 0 ? "[" : #"{"k":"# }.joined()
        let close = (0..<levels).reversed().map { $0 % 3 == 0 ? "]" : "}" }.joined()
        let text = "[" + open + "1" + close + ",2]"
        var reader = JSONReader(Array(text.utf8))
        var items = 0
        try reader.readArray { (reader) throws(JSONSyntaxError) in
            try reader.skipValue()
            items += 1
        }
        try reader.expectEnd()
        #expect(items == 2)
        #expect(close.first == "}")
        let wrongCloser = "[" + open + "1]" + close.dropFirst() + ",2]"
        #expect(skipError(wrongCloser) == JSONSyntaxError(offset: 1 + open.utf8.count + 1, reason: "expected ',' or '}' in an object"))
        #expect(skipError("[" + open + "1" + close.dropLast() + "}]")
            == JSONSyntaxError(offset: 1 + open.utf8.count + close.utf8.count, reason: "expected ',' or ']' in an array"))
    }

    @Test func skipCountsTheDepthAlreadyEntered() throws {
        let limit = JSONReader.maxDepth
        let text = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        var reader = JSONReader(Array(text.utf8))
        #expect(throws: JSONSyntaxError(offset: limit + 1, reason: "nested more than \(limit) levels deep")) {
            try reader.readArray { (reader) throws(JSONSyntaxError) in try reader.skipValue() }
        }
    }

    @Test func deepTextParsesOnATaskStack() async throws {
        let limit = JSONReader.maxDepth
        let text = String(repeating: #"{"a":["#, count: limit / 2) + String(repeating: "]}", count: limit / 2)
        let rendered = try await Task { try render(text) }.value
        #expect(rendered.hasPrefix("{a=[{a=["))
    }
}
