import Glibc

/// A socket operation failed: a system call returned an error, a deadline passed, or a name did not resolve.
public struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// A system call failed with this `errno`.
        case system(errno: Int32)
        /// The operation's deadline passed before it could finish.
        case timedOut
        /// The socket was closed while, or before, the operation ran.
        case closed
        /// `getaddrinfo` failed with this code.
        case resolve(code: Int32)
        /// An address could not be parsed.
        case invalidAddress
    }

    /// What went wrong.
    public var kind: Kind
    /// The call or operation that failed, for example `connect` or `read`.
    public var call: String
    /// More detail: the host and port, or the address that was given.
    public var detail: String

    /// Creates an error.
    public init(_ kind: Kind, call: String, detail: String = "") {
        self.kind = kind
        self.call = call
        self.detail = detail
    }

    /// An error for the current `errno` of `call`.
    static func system(_ call: String, detail: String = "") -> SocketError {
        SocketError(.system(errno: errno), call: call, detail: detail)
    }

    /// Whether a deadline passed.
    public var isTimeout: Bool { kind == .timedOut }

    public var description: String {
        let place = detail.isEmpty ? call : "\(call) \(detail)"
        switch kind {
        case .system(let code): return "\(place) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .timedOut: return "\(place) timed out"
        case .closed: return "\(place) failed: the socket is closed"
        case .resolve(let code): return "\(place) failed: cannot resolve the name: \(String(cString: gai_strerror(code)))"
        case .invalidAddress: return "\(place): not a valid address; want HOST:PORT, [IPv6]:PORT or :PORT"
        }
    }
}
