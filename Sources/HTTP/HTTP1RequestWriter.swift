/// Serialises HTTP/1.1 requests for the client.
enum HTTP1RequestWriter {
    /// Appends `request` to `out`: request line, the caller's fields, then `Content-Length` computed from the body
    /// (the caller's `Content-Length` and `Transfer-Encoding` are dropped).
    static func write(_ request: HTTPRequest, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + 128 + request.target.utf8.count + request.body.count + request.headers.fields.count * 48)
        out.append(contentsOf: request.method.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: request.target.utf8)
        out.append(contentsOf: " HTTP/1.1\r\n".utf8)
        for field in request.headers.fields {
            let name = field.name
            if HTTP1ResponseWriter.isNamed(name, "content-length") || HTTP1ResponseWriter.isNamed(name, "transfer-encoding") {
                continue
            }
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if !request.body.isEmpty || !["GET", "HEAD", "DELETE", "OPTIONS"].contains(request.method) {
            out.append(contentsOf: "Content-Length: ".utf8)
            HTTP1ResponseWriter.appendDecimal(request.body.count, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: request.body)
    }
}
