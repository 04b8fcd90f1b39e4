/// A host and port parsed from `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (an empty host means every address).
public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address without brackets; empty for every local address.
    public var host: String
    /// The port number.
    public var port: UInt16

    /// Creates a host and port.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT`; throws ``SocketError`` (`.invalidAddress`) otherwise.
    public init(parsing text: String) throws {
        let invalid = SocketError(.invalidAddress, call: "address", detail: "\"\(text)\"")
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { throw invalid }
        var host = String(text[..<colon])
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { throw invalid }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw invalid
        }
        self.init(host: host, port: port)
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
