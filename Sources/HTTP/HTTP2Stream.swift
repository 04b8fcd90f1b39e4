/// One HTTP/2 stream's request as it arrives, and its response as it is sent.
final class HTTP2Stream {
    let id: Int32
    var method = ""
    var path = ""
    var authority: String?
    var headers: [(name: String, value: String)] = []
    /// Bytes of the header list received so far, counted as HPACK does (name + value + 32 per field).
    var headerBytes = 0
    var body: [UInt8] = []
    /// The status a limit answers this stream with instead of the handler; set once a limit is broken.
    var rejection: Int?
    /// Whether a response was submitted, and whether it was sent in full.
    var responded = false
    var responseFinished = false
    /// Request body bytes dropped after a rejection, and whether the stream was reset to stop them.
    var discarded = 0
    var reset = false
    /// The response body being sent and how much of it went out.
    var responseBody: [UInt8] = []
    var responseOffset = 0

    init(id: Int32) {
        self.id = id
    }

    /// The request handed to the handler.
    func makeRequest() -> HTTPRequest {
        var fields = headers
        if let authority, !fields.contains(where: { $0.name == "host" }) {
            fields.insert((name: "host", value: authority), at: 0)
        }
        return HTTPRequest(method: method, target: path, headers: HTTPHeaders(fields), body: body, version: .http2)
    }
}
