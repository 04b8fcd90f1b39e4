/// Why an HTTP/1.1 client call failed. Errors of the underlying stream (timeouts, resets) are passed through as they are.
///
/// Match on the static members (`error == .connectionNotReusable`); ``message`` says what happened in detail.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Equatable {
        case connectionNotReusable, connectionClosed, malformedResponse, bodyTooLarge, bodyAlreadyRead
    }

    private let code: Code
    /// What happened, for a person.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The connection is busy with another response, or was closed or broken: open a new one.
    public static let connectionNotReusable = Self(
        .connectionNotReusable, "the connection cannot carry another request (busy, closed, or a body was not read to its end)")
    /// The server closed the connection before the response was complete.
    public static let connectionClosed = Self(.connectionClosed, "the server closed the connection before the response was complete")
    /// The response did not follow HTTP/1.1 framing.
    public static let malformedResponse = Self(.malformedResponse, "the response is not valid HTTP/1.1")
    /// The body was longer than the caller allowed.
    public static let bodyTooLarge = Self(.bodyTooLarge, "the response body is larger than allowed")
    /// The body of this response was already iterated; it can be read once.
    public static let bodyAlreadyRead = Self(.bodyAlreadyRead, "the response body can be read only once")

    /// A malformed response with the detail of what was wrong.
    static func malformed(_ detail: String) -> Self { Self(.malformedResponse, "the response is not valid HTTP/1.1: \(detail)") }

    /// A body larger than `limit` bytes.
    static func tooLarge(_ limit: Int) -> Self { Self(.bodyTooLarge, "the response body is larger than \(limit) bytes") }

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
