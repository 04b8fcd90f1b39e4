import JSON

/// Why an AdmissionReview body could not be decoded: its JSON syntax, or a required member that is missing.
struct JSONError: Error, Sendable {
    /// What was wrong, for the 400 message.
    var message: String

    /// An error with `message`.
    init(message: String) {
        self.message = message
    }

    /// The syntax error's reason and byte offset.
    init(_ error: JSONSyntaxError) {
        message = error.description
    }
}
