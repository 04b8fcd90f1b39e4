import FoundationEssentials

/// Whether a failed call is worth repeating (SPEC §5).
public enum FailureKind: Sendable, Equatable {
    /// Retried with backoff until the trigger's deadline.
    case temporary
    /// Fails the trigger at once.
    case permanent

    /// Classifies an API answer that was not a success.
    ///
    /// - Parameters:
    ///   - status: The HTTP status code.
    ///   - afterJSONPatchTest: Whether the request was a JSON patch with a `test` operation, whose failure (422) is a conflict.
    public static func of(status: Int, afterJSONPatchTest: Bool = false) -> FailureKind {
        switch status {
        case 500...599, 429, 409, 408, 401: return .temporary
        case 422 where afterJSONPatchTest: return .temporary
        default: return .permanent
        }
    }
}

/// The `Status` object the API server sends with an error, reduced to what a message needs.
public struct APIStatus: Sendable, Decodable {
    /// Why, in the API server's words.
    public var message: String?
    /// The machine-readable reason, such as `NotFound`.
    public var reason: String?
    /// Further detail, such as the disruption budget a 429 eviction hit.
    public var details: Details?

    /// `details` of a `Status`.
    public struct Details: Sendable, Decodable {
        /// The causes.
        public var causes: [Cause]?
    }

    /// One cause of a `Status`.
    public struct Cause: Sendable, Decodable {
        /// The cause's message.
        public var message: String?
    }

    /// Decodes a `Status` body; `nil` when the body is something else (such as `404 page not found`).
    public init?(body: [UInt8]) {
        guard let decoded = try? JSONDecoder().decode(APIStatus.self, from: Data(body)) else { return nil }
        self = decoded
    }

    /// A one-line summary of an error answer: `HTTP 429 TooManyRequests: <message> (<causes>)`.
    public static func summary(of response: APIResponse) -> String {
        guard let status = APIStatus(body: response.body) else {
            let text = String(String(decoding: response.body.prefix(200), as: UTF8.self).filter { !$0.isNewline })
            return "HTTP \(response.status)" + (text.isEmpty ? "" : ": \(text)")
        }
        var summary = "HTTP \(response.status)"
        if let reason = status.reason, !reason.isEmpty { summary += " \(reason)" }
        if let message = status.message, !message.isEmpty { summary += ": \(message)" }
        let causes = (status.details?.causes ?? []).compactMap(\.message).filter { !$0.isEmpty }
        if !causes.isEmpty { summary += " (" + causes.joined(separator: "; ") + ")" }
        return summary
    }
}
