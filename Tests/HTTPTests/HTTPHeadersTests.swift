import HTTP
import Testing

@Suite struct HTTPHeadersTests {
    @Test func lookupsIgnoreASCIICaseOnly() {
        var headers: HTTPHeaders = ["Content-Type": "a", "X-Y": "1", "x-y": "2"]
        #expect(headers["CONTENT-type"] == "a")
        #expect(headers.values(for: "X-y") == ["1", "2"])
        #expect(headers["X\rY"] == nil)
        #expect(headers["Content-Typ"] == nil)
        headers.replaceOrAdd(name: "x-Y", value: "3")
        #expect(headers == ["Content-Type": "a", "x-Y": "3"])
    }
}
