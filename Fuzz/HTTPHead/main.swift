// Fuzzes the HTTP/1.1 head parser on request and response heads (the first byte picks which).
// Invariant: a head that parses, written out again (request or status line, then each field as `name: value`),
// parses to the same head: method, target, authority, version, status, fields in order and every framing fact.
// An absolute-form target is written out as one again, and the Host field the parser made from it (when the
// request had none) is left out, since the target carries it.
import FuzzSupport
@testable import HTTP

/// Everything the parser reports about a head, to compare two parses.
struct ParsedHead: Equatable {
    var method, target: String
    var authority: String?
    var status, minorVersion: Int
    var fields: [String]
    var contentLength: Int?
    var framing: [Bool]

    init(_ head: HTTP1Head) {
        method = head.method
        target = head.target
        authority = head.authority
        status = head.status
        minorVersion = head.minorVersion
        fields = head.headers.fields.map { "\($0.name)\u{0}\($0.value)" }
        contentLength = head.contentLength
        framing = [head.hasTransferEncoding, head.isChunked, head.connectionClose, head.connectionKeepAlive,
                   head.expectsContinue, head.hasHost]
    }
}

func parse(_ bytes: [UInt8], _ kind: HTTP1HeadKind) -> HTTP1Head? {
    bytes.withUnsafeBufferPointer { buffer in try? HTTP1HeadParser.parse(buffer, kind: kind) }
}

func written(_ head: HTTP1Head, _ kind: HTTP1HeadKind) -> [UInt8] {
    var text = switch kind {
    case .request: "\(head.method) \(head.authority.map { "http://\($0)" } ?? "")\(head.target) HTTP/1.\(head.minorVersion)\r\n"
    case .response: "HTTP/1.\(head.minorVersion) \(String(head.status).leftPadded(to: 3)) Reason\r\n"
    }
    let madeHost = head.authority != nil && !head.hasHost
    for field in head.headers.fields where !(madeHost && field.name.lowercased() == "host") {
        text += "\(field.name): \(field.value)\r\n"
    }
    return Array((text + "\r\n").utf8)
}

extension String {
    func leftPadded(to count: Int) -> String { String(repeating: "0", count: max(0, count - self.count)) + self }
}

fuzzMain { bytes in
    guard let selector = bytes.first else { return }
    let kind: HTTP1HeadKind = selector & 1 == 0 ? .request : .response
    let input = Array(bytes.dropFirst())
    guard let head = parse(input, kind) else { return }
    let text = written(head, kind)
    guard let again = parse(text, kind) else {
        fuzzFail("a parsed head, written out, does not parse: \(String(decoding: text, as: UTF8.self).debugDescription)")
    }
    if ParsedHead(again) != ParsedHead(head) {
        fuzzFail("a parsed head, written out, parses differently: \(ParsedHead(head)) then \(ParsedHead(again))")
    }
}
