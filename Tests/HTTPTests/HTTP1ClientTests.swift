import HTTP
import TestSupport
import Testing

/// Cuts `bytes` at random points into pieces, one per read.
func randomPieces(_ text: String, seed: UInt64) -> [[UInt8]] {
    let bytes = Array(text.utf8)
    var random = SplitMix64(state: seed)
    var pieces: [[UInt8]] = []
    var index = 0
    while index < bytes.count {
        let size = Int.random(in: 1...max(1, min(bytes.count - index, 40)), using: &random)
        pieces.append(Array(bytes[index..<index + size]))
        index += size
    }
    return pieces
}

let getRequest = HTTPRequest(method: "GET", target: "/api/v1/pods", headers: ["Host": "kube", "Accept": "application/json"])

@Suite struct HTTP1ClientTests {
    static let chunkedWatch = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "19;ext=\"x\"\r\n{\"type\":\"ADDED\"}\n{\"type\":\r\n"
        + "11\r\n\"MODIFIED\"}\n{\"a\":\r\n3\r\n1}\n\r\n0\r\nX-Trailer: done\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    @Test(arguments: 0..<40)
    func chunkedResponseSplitAnywhereGivesTheSameBody(seed: Int) async throws {
        let stream = ScriptedStream(randomPieces(Self.chunkedWatch, seed: UInt64(seed)))
        let connection = HTTP1ClientConnection(stream: stream)
        let response = try await connection.send(getRequest, deadline: nil)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(!connection.isReusable)
        let body = try await response.collect(upTo: 1000)
        #expect(String(decoding: body, as: UTF8.self) == "{\"type\":\"ADDED\"}\n{\"type\":\"MODIFIED\"}\n{\"a\":1}\n")
        #expect(connection.isReusable)
        let second = try await connection.send(getRequest, deadline: nil)
        #expect(try await second.collect(upTo: 10) == Array("ok".utf8))
        #expect(connection.isReusable)
        #expect(stream.output == String(repeating: "GET /api/v1/pods HTTP/1.1\r\nHost: kube\r\nAccept: application/json\r\n\r\n", count: 2))
    }

    @Test(arguments: 0..<20)
    func contentLengthResponseAfter1xxSplitAnywhere(seed: Int) async throws {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 11\r\nX-A: b\r\n\r\nhello world"
        let connection = HTTP1ClientConnection(stream: ScriptedStream(randomPieces(text, seed: UInt64(seed))))
        let request = HTTPRequest(method: "POST", target: "/x", headers: ["Host": "h"], body: Array("{}".utf8))
        let response = try await connection.send(request, deadline: nil)
        #expect(response.status == 201)
        #expect(response.headers == ["content-length": "11", "X-A": "b"])
        #expect(try await response.collect(upTo: 11) == Array("hello world".utf8))
        #expect(connection.isReusable)
    }

    @Test func requestIsSerialisedWithComputedContentLength() async throws {
        let stream = ScriptedStream([Array("HTTP/1.1 204 No Content\r\n\r\n".utf8)])
        let connection = HTTP1ClientConnection(stream: stream)
        let request = HTTPRequest(
            method: "PATCH", target: "/apis/x", headers: ["Host": "k:6443", "Content-Type": "application/merge-patch+json",
            "Authorization": "Bearer t", "Content-Length": "7", "User-Agent": "triggergate"], body: Array("{\"a\":1}".utf8))
        let response = try await connection.send(request, deadline: nil)
        #expect(response.status == 204)
        #expect(connection.isReusable)
        #expect(stream.output == "PATCH /apis/x HTTP/1.1\r\nHost: k:6443\r\nContent-Type: application/merge-patch+json\r\n"
            + "Authorization: Bearer t\r\nUser-Agent: triggergate\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
    }

    @Test func bodyUntilCloseIsReadAndTheConnectionIsNotReused() async throws {
        let connection = HTTP1ClientConnection(stream: ScriptedStream([Array("HTTP/1.1 200 OK\r\n\r\nall of".utf8), Array(" it".utf8)]))
        let response = try await connection.send(getRequest, deadline: nil)
        var pieces: [String] = []
        for try await piece in response.body { pieces.append(String(decoding: piece, as: UTF8.self)) }
        #expect(pieces == ["all of", " it"])
        #expect(!connection.isReusable)
        await #expect(throws: HTTPClientError.connectionNotReusable) { try await connection.send(getRequest, deadline: nil) }
    }

    @Test func serverAskingToCloseMakesTheConnectionNotReusable() async throws {
        let text = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na"
        let connection = HTTP1ClientConnection(stream: ScriptedStream([Array(text.utf8)]))
        _ = try await connection.send(getRequest, deadline: nil).collect(upTo: 1)
        #expect(!connection.isReusable)
    }

    @Test func aPendingBodyBlocksTheNextRequestAndCanBeReadOnce() async throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
        let connection = HTTP1ClientConnection(stream: ScriptedStream([Array(text.utf8)]))
        let response = try await connection.send(getRequest, deadline: nil)
        await #expect(throws: HTTPClientError.connectionNotReusable) { try await connection.send(getRequest, deadline: nil) }
        #expect(try await response.collect(upTo: 3) == Array("abc".utf8))
        await #expect(throws: HTTPClientError.bodyAlreadyRead) { try await response.collect(upTo: 3) }
    }

    @Test func errorsAreTyped() async throws {
        let tooLong = HTTP1ClientConnection(stream: ScriptedStream([Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabcde".utf8)]))
        await #expect(throws: HTTPClientError.bodyTooLarge) { try await tooLong.send(getRequest, deadline: nil).collect(upTo: 4) }
        #expect(!tooLong.isReusable)
        let cut = HTTP1ClientConnection(stream: ScriptedStream([Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab".utf8)]))
        await #expect(throws: HTTPClientError.connectionClosed) { try await cut.send(getRequest, deadline: nil).collect(upTo: 9) }
        let badChunk = HTTP1ClientConnection(
            stream: ScriptedStream([Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n".utf8)]))
        await #expect(throws: HTTPClientError.malformedResponse) { try await badChunk.send(getRequest, deadline: nil).collect(upTo: 9) }
        let garbage = HTTP1ClientConnection(stream: ScriptedStream([Array("SSH-2.0-OpenSSH\r\n\r\n".utf8)]))
        await #expect(throws: HTTPClientError.malformedResponse) { try await garbage.send(getRequest, deadline: nil) }
        let empty = HTTP1ClientConnection(stream: ScriptedStream([]))
        await #expect(throws: HTTPClientError.connectionClosed) { try await empty.send(getRequest, deadline: nil) }
    }

    @Test func clientTalksToTheServerCodec() async throws {
        let (clientEnd, server) = startHTTP1()
        let connection = HTTP1ClientConnection(stream: clientEnd)
        for index in 0..<3 {
            let request = HTTPRequest(method: "POST", target: "/n\(index)", headers: ["Host": "x"], body: Array("b\(index)".utf8))
            let response = try await connection.send(request, deadline: .now + .seconds(60))
            #expect(String(decoding: try await response.collect(upTo: 100), as: UTF8.self) == "POST /n\(index) b\(index)")
            #expect(connection.isReusable)
        }
        connection.close()
        await server.value
    }
}
