/// A request or response that breaks HTTP/1.1 framing or a limit, with the status a server answers it with.
struct HTTPMessageError: Error, Sendable, CustomStringConvertible {
    /// The status to answer with: 400, 413, 414, 431, 501 or 505.
    var status: Int
    /// What was wrong, for a person.
    var message: String

    var description: String { "HTTP \(status): \(message)" }

    static func badRequest(_ message: String) -> Self { Self(status: 400, message: message) }
    static func headerTooLarge(_ message: String) -> Self { Self(status: 431, message: message) }
}
