/// How a resource answers request methods, as RFC 9110 asks: a method it takes is served; `OPTIONS` gets 200 with
/// `Allow` (§9.3.7); another method of the HTTP method registry gets 405 with `Allow` (§15.5.6); a method the server
/// does not recognise gets 501 (§15.6.2).
public struct HTTPMethodRule: Sendable {
    /// The methods the resource serves, in the order `Allow` lists them (`OPTIONS` is added).
    public let served: [String]

    /// The methods of RFC 9110 §9 and PATCH (RFC 5789): those this server recognises.
    public static let recognised: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// Creates the rule of a resource that serves `served`.
    public init(served: [String]) {
        self.served = served
    }

    /// The `Allow` value: the served methods, then `OPTIONS`.
    public var allow: String { (served + ["OPTIONS"]).joined(separator: ", ") }

    /// The answer to `method` on `path` when the resource does not serve it, or nil when it does.
    public func refusal(of method: String, on path: some StringProtocol) -> HTTPResponse? {
        if served.contains(method) { return nil }
        if method == "OPTIONS" { return HTTPResponse(status: 200, headers: ["Allow": allow]) }
        guard Self.recognised.contains(method) else { return Self.unrecognised(method) }
        return HTTPResponse(
            status: 405, headers: ["Allow": allow, "Content-Type": "text/plain; charset=utf-8"],
            body: Array("\(method) is not allowed on \(path): use \(served.joined(separator: " or "))\n".utf8))
    }

    /// The answer that needs no resource, or nil: 501 for a method the server does not recognise, and for the
    /// asterisk-form target `*` (RFC 9112 §3.2.4), 200 with `Allow` for `OPTIONS *` and 400 for any other method.
    public func refusalBeforeRouting(_ request: HTTPRequest) -> HTTPResponse? {
        guard Self.recognised.contains(request.method) else { return Self.unrecognised(request.method) }
        guard request.target == "*" else { return nil }
        if request.method == "OPTIONS" { return HTTPResponse(status: 200, headers: ["Allow": allow]) }
        return HTTPResponse(
            status: 400, headers: ["Content-Type": "text/plain; charset=utf-8"],
            body: Array("the request target * is only for OPTIONS\n".utf8))
    }

    /// 501 for a method the server does not recognise for any resource.
    public static func unrecognised(_ method: String) -> HTTPResponse {
        HTTPResponse(
            status: 501, headers: ["Content-Type": "text/plain; charset=utf-8"],
            body: Array("the method \(method) is not implemented by this server\n".utf8))
    }
}
