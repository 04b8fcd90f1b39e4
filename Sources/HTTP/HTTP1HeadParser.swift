import Glibc

/// Parses a complete HTTP/1.1 head (as found by ``HeadScanner``) into an ``HTTP1Head``.
///
/// Strict where smuggling lives: every line ends in CRLF, field names are tokens with no space before the colon,
/// obs-fold and control characters are refused, and `Content-Length` and `Transfer-Encoding` are checked here.
enum HTTP1HeadParser {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Parses `bytes`, which end with the empty line, as a head of `kind`.
    static func parse(_ bytes: Bytes, kind: HTTP1HeadKind) throws(HTTPMessageError) -> HTTP1Head {
        var head = HTTP1Head()
        var index = 0
        while index < bytes.count, bytes[index] == cr || bytes[index] == lf { index += 1 }
        let firstEnd = try lineEnd(bytes, from: index)
        switch kind {
        case .request: try parseRequestLine(bytes, index..<firstEnd, into: &head)
        case .response: try parseStatusLine(bytes, index..<firstEnd, into: &head)
        }
        index = firstEnd + 2
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(8)
        while index < bytes.count {
            let end = try lineEnd(bytes, from: index)
            if end == index { break }
            fields.append(try parseField(bytes, index..<end, into: &head))
            index = end + 2
        }
        head.headers = HTTPHeaders(fields)
        if let authority = head.authority { head.headers.replaceOrAdd(name: "Host", value: authority) }
        return head
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    /// The index of the CR that ends the line starting at `from`; a bare LF is refused.
    private static func lineEnd(_ bytes: Bytes, from: Int) throws(HTTPMessageError) -> Int {
        guard from < bytes.count, let newline = memchr(bytes.baseAddress! + from, Int32(lf), bytes.count - from) else {
            throw .badRequest("a line does not end with CRLF")
        }
        let index = bytes.baseAddress!.distance(to: newline.assumingMemoryBound(to: UInt8.self))
        guard index > from, bytes[index - 1] == cr else {
            throw .badRequest("a line does not end with CRLF")
        }
        return index - 1
    }

    private static func string(_ bytes: Bytes, _ range: Range<Int>) -> String {
        String(decoding: Bytes(rebasing: bytes[range]), as: UTF8.self)
    }

    private static func parseRequestLine(_ bytes: Bytes, _ line: Range<Int>, into head: inout HTTP1Head) throws(HTTPMessageError) {
        var index = line.lowerBound
        while index < line.upperBound, isTokenByte(bytes[index]) { index += 1 }
        guard index > line.lowerBound, index < line.upperBound, bytes[index] == space else {
            throw .badRequest("the request line must be METHOD SP TARGET SP HTTP/1.1 with a token method")
        }
        head.method = string(bytes, line.lowerBound..<index)
        let targetStart = index + 1
        index = targetStart
        while index < line.upperBound, bytes[index] > space, bytes[index] < 0x7F { index += 1 }
        guard index > targetStart, index < line.upperBound, bytes[index] == space else {
            throw .badRequest("the request target is empty or holds a space or control character")
        }
        try parseTarget(bytes, targetStart..<index, into: &head)
        head.minorVersion = try parseVersion(bytes, index + 1..<line.upperBound)
    }

    /// Reads the request target in one of the forms of RFC 9112 §3.2: origin-form (`/path?query`), absolute-form
    /// (`http://host/path`: the target becomes its path and query, and its authority takes the place of `Host`), or
    /// asterisk-form (`*`, with `OPTIONS` only). CONNECT's authority-form asks for a tunnel, which this server does not make.
    private static func parseTarget(_ bytes: Bytes, _ target: Range<Int>, into head: inout HTTP1Head) throws(HTTPMessageError) {
        let first = bytes[target.lowerBound]
        if head.method == "CONNECT" {
            throw HTTPMessageError(status: 501, message: "CONNECT is not supported: this server is not a proxy")
        }
        if first == UInt8(ascii: "/") {
            head.target = string(bytes, target)
            return
        }
        if target.count == 1, first == UInt8(ascii: "*") {
            guard head.method == "OPTIONS" else { throw .badRequest("the request target * is only for OPTIONS") }
            head.target = "*"
            return
        }
        let schemeEnd = bytes[target].firstIndex(of: UInt8(ascii: ":")) ?? target.lowerBound
        let scheme = target.lowerBound..<schemeEnd
        guard equalsLowercase(bytes, scheme, "http") || equalsLowercase(bytes, scheme, "https"),
              target.upperBound - schemeEnd > 3, bytes[schemeEnd + 1] == UInt8(ascii: "/"), bytes[schemeEnd + 2] == UInt8(ascii: "/") else {
            throw .badRequest("the request target must be a path (/validate), an absolute http or https URI, or * for OPTIONS")
        }
        let authorityStart = schemeEnd + 3
        let authorityEnd = bytes[authorityStart..<target.upperBound].firstIndex {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        } ?? target.upperBound
        let authority = authorityStart..<authorityEnd
        guard !authority.isEmpty, isAuthority(bytes, authority) else {
            throw .badRequest("the authority of the absolute request target is not host[:port]")
        }
        head.authority = string(bytes, authority)
        let rest = string(bytes, authorityEnd..<target.upperBound)
        head.target = rest.first == "/" ? rest : "/" + rest
    }

    /// Whether `bytes[range]` is `host[:port]` as a Host field or a URI's authority may hold it (RFC 9110 §4.2.4,
    /// §7.2; RFC 3986 §3.2): a reg-name (unreserved, percent-encoded and sub-delimiter characters) or a bracketed IP
    /// literal, then an optional port of digits. `userinfo@` is refused, as RFC 9110 asks of recipients.
    static func isAuthority(_ bytes: Bytes, _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        if index < range.upperBound, bytes[index] == UInt8(ascii: "[") {
            guard let close = bytes[range].firstIndex(of: UInt8(ascii: "]")), close > index + 1 else { return false }
            for position in index + 1..<close where !isHexDigit(bytes[position]) && bytes[position] != UInt8(ascii: ":")
                && bytes[position] != UInt8(ascii: ".") {
                return false
            }
            index = close + 1
        } else {
            while index < range.upperBound, bytes[index] != UInt8(ascii: ":") {
                guard isRegNameByte(bytes[index]) else { return false }
                index += 1
            }
        }
        guard index < range.upperBound else { return true }
        guard bytes[index] == UInt8(ascii: ":") else { return false }
        return bytes[index + 1..<range.upperBound].allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }

    /// RFC 3986 `unreserved`, `sub-delims` and the `%` of `pct-encoded`.
    private static func isRegNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }

    private static func parseStatusLine(_ bytes: Bytes, _ line: Range<Int>, into head: inout HTTP1Head) throws(HTTPMessageError) {
        guard line.count >= 12, bytes[line.lowerBound + 8] == space else { throw .badRequest("malformed status line") }
        head.minorVersion = try parseVersion(bytes, line.lowerBound..<line.lowerBound + 8)
        var status = 0
        for index in line.lowerBound + 9..<line.lowerBound + 12 {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw .badRequest("malformed status code") }
            status = status * 10 + Int(digit)
        }
        guard line.count == 12 || bytes[line.lowerBound + 12] == space else { throw .badRequest("malformed status line") }
        head.status = status
    }

    /// Reads `HTTP/1.x` filling exactly `range`, and returns x.
    private static func parseVersion(_ bytes: Bytes, _ range: Range<Int>) throws(HTTPMessageError) -> Int {
        let prefix: StaticString = "HTTP/1."
        guard range.count == 8 else { throw .badRequest("malformed HTTP version") }
        for offset in 0..<7 where bytes[range.lowerBound + offset] != prefix.utf8Start[offset] {
            if string(bytes, range).hasPrefix("HTTP/") {
                throw HTTPMessageError(status: 505, message: "only HTTP/1.0 and HTTP/1.1 are served over this connection")
            }
            throw .badRequest("malformed HTTP version")
        }
        switch bytes[range.lowerBound + 7] {
        case UInt8(ascii: "1"): return 1
        case UInt8(ascii: "0"): return 0
        default: throw HTTPMessageError(status: 505, message: "only HTTP/1.0 and HTTP/1.1 are served over this connection")
        }
    }

    private static func parseField(
        _ bytes: Bytes, _ line: Range<Int>, into head: inout HTTP1Head
    ) throws(HTTPMessageError) -> (name: String, value: String) {
        var index = line.lowerBound
        while index < line.upperBound, isTokenByte(bytes[index]) { index += 1 }
        guard index > line.lowerBound, index < line.upperBound, bytes[index] == UInt8(ascii: ":") else {
            if bytes[line.lowerBound] == space || bytes[line.lowerBound] == tab {
                throw .badRequest("obsolete line folding in a header field")
            }
            throw .badRequest("a header field name is not a token followed by a colon")
        }
        let name = line.lowerBound..<index
        index += 1
        while index < line.upperBound, bytes[index] == space || bytes[index] == tab { index += 1 }
        var valueEnd = line.upperBound
        while valueEnd > index, bytes[valueEnd - 1] == space || bytes[valueEnd - 1] == tab { valueEnd -= 1 }
        for position in index..<valueEnd {
            let byte = bytes[position]
            if (byte < space && byte != tab) || byte == 0x7F {
                throw .badRequest("a header field value holds a control character")
            }
        }
        let value = index..<valueEnd
        try noteFraming(bytes, name: name, value: value, into: &head)
        return (string(bytes, name), string(bytes, value))
    }

    /// Records what the framing-relevant fields (`Content-Length`, `Transfer-Encoding`, `Connection`, `Expect`, `Host`) say.
    private static func noteFraming(
        _ bytes: Bytes, name: Range<Int>, value: Range<Int>, into head: inout HTTP1Head
    ) throws(HTTPMessageError) {
        switch name.count {
        case 14 where equalsLowercase(bytes, name, "content-length"):
            var length = 0
            for position in value {
                let digit = bytes[position] &- UInt8(ascii: "0")
                guard digit < 10, length < Int.max / 100 else { throw .badRequest("Content-Length is not a decimal number") }
                length = length * 10 + Int(digit)
            }
            guard !value.isEmpty, head.contentLength == nil || head.contentLength == length else {
                throw .badRequest("Content-Length is empty or given twice with different values")
            }
            head.contentLength = length
        case 17 where equalsLowercase(bytes, name, "transfer-encoding"):
            guard !head.hasTransferEncoding else { throw .badRequest("Transfer-Encoding is given twice") }
            head.hasTransferEncoding = true
            head.isChunked = equalsLowercase(bytes, value, "chunked")
        case 10 where equalsLowercase(bytes, name, "connection"):
            var tokenStart = value.lowerBound
            for position in value.lowerBound...value.upperBound where position == value.upperBound || bytes[position] == UInt8(ascii: ",") {
                var token = tokenStart..<position
                while !token.isEmpty, bytes[token.lowerBound] == space || bytes[token.lowerBound] == tab { token = token.dropFirst() }
                while !token.isEmpty, bytes[token.upperBound - 1] == space || bytes[token.upperBound - 1] == tab { token = token.dropLast() }
                if equalsLowercase(bytes, token, "close") { head.connectionClose = true }
                if equalsLowercase(bytes, token, "keep-alive") { head.connectionKeepAlive = true }
                tokenStart = position + 1
            }
        case 6 where equalsLowercase(bytes, name, "expect"):
            head.expectsContinue = equalsLowercase(bytes, value, "100-continue")
        case 4 where equalsLowercase(bytes, name, "host"):
            guard !head.hasHost else { throw .badRequest("Host is given twice") }
            guard value.isEmpty || isAuthority(bytes, value) else { throw .badRequest("Host is not host[:port]") }
            head.hasHost = true
        default:
            break
        }
    }

    /// Whether `bytes[range]` equals the lower-case ASCII `expected`, ignoring the case of letters.
    static func equalsLowercase(_ bytes: Bytes, _ range: Range<Int>, _ expected: StaticString) -> Bool {
        guard range.count == expected.utf8CodeUnitCount else { return false }
        let letters = expected.utf8Start
        for offset in 0..<range.count {
            var byte = bytes[range.lowerBound + offset]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != letters[offset] { return false }
        }
        return true
    }

    /// Whether `byte` may appear in a token (RFC 9110 `tchar`).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
