/// Serialises HTTP/1.1 responses: status line, the handler's fields, then `Content-Length`, `Date` and `Connection`.
enum HTTP1ResponseWriter {
    /// Whether the handler's fields ask to close the connection (`Connection: close`).
    static func asksToClose(_ headers: HTTPHeaders) -> Bool {
        headers.fields.contains { isNamed($0.name, "connection") && $0.value.lowercased().contains("close") }
    }

    /// Appends `response` to `out`.
    ///
    /// - Parameters:
    ///   - omitBody: `true` for a response to HEAD: the length is announced but no body follows.
    ///   - connection: The `Connection` value to send (`close` or `keep-alive`), or `nil` for none.
    ///   - date: The formatted `Date` value.
    static func write(_ response: HTTPResponse, omitBody: Bool, connection: StaticString?, date: [UInt8], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + 160 + response.body.count + response.headers.fields.count * 48)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(response.status, to: &out)
        out.append(UInt8(ascii: " "))
        let phrase = httpReasonPhrase(response.status)
        out.append(contentsOf: UnsafeBufferPointer(start: phrase.utf8Start, count: phrase.utf8CodeUnitCount))
        out.append(contentsOf: "\r\n".utf8)
        for field in response.headers.fields where !isFramingField(field.name) {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if response.status >= 200 && response.status != 204 && response.status != 304 {
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        if let connection {
            out.append(contentsOf: "\r\nConnection: ".utf8)
            out.append(contentsOf: UnsafeBufferPointer(start: connection.utf8Start, count: connection.utf8CodeUnitCount))
        }
        out.append(contentsOf: "\r\n\r\n".utf8)
        if !omitBody { out.append(contentsOf: response.body) }
    }

    /// Fields the codec writes itself, so a handler's copy is dropped.
    static func isFramingField(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: isNamed(name, "date")
        case 10: isNamed(name, "connection") || isNamed(name, "keep-alive")
        case 14: isNamed(name, "content-length")
        case 17: isNamed(name, "transfer-encoding")
        default: false
        }
    }

    /// Whether `name` equals the lower-case ASCII `expected`, ignoring case.
    static func isNamed(_ name: String, _ expected: StaticString) -> Bool {
        guard name.utf8.count == expected.utf8CodeUnitCount else { return false }
        var offset = 0
        for var byte in name.utf8 {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != expected.utf8Start[offset] { return false }
            offset += 1
        }
        return true
    }

    /// Appends the decimal digits of a non-negative `value`.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
