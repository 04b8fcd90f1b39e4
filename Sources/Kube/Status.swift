/// The `Status` object the API server returns with errors (and with some successes, such as an eviction).
public struct Status: Sendable, Codable, Equatable {
    /// `Success` or `Failure`.
    public var status: String?
    /// A sentence for a person.
    public var message: String?
    /// A machine-readable reason: `NotFound`, `Conflict`, `AlreadyExists`, `Expired`, `Invalid`, ...
    public var reason: String?
    /// More detail: the object, the causes, and a suggested retry delay.
    public var details: Details?
    /// The HTTP status code.
    public var code: Int?

    /// `details` of a Status.
    public struct Details: Sendable, Codable, Equatable {
        /// The object's name.
        public var name: String?
        /// The object's API group.
        public var group: String?
        /// The resource (plural), despite the field's name.
        public var kind: String?
        /// Individual problems.
        public var causes: [Cause]?
        /// The server's suggested retry delay, in seconds.
        public var retryAfterSeconds: Int?
    }

    /// One cause of a failure.
    public struct Cause: Sendable, Codable, Equatable {
        /// For example `FieldValueInvalid` or `DisruptionBudget`.
        public var reason: String?
        /// A sentence for a person.
        public var message: String?
        /// The field concerned, for example `spec.user`.
        public var field: String?
    }

    /// Decodes a `Status` body; nil when the body is not one.
    public init?(body: [UInt8]) {
        guard let value = try? JSONValue(parsing: body), value["kind"]?.stringValue == "Status" else { return nil }
        status = value["status"]?.stringValue
        message = value["message"]?.stringValue
        reason = value["reason"]?.stringValue
        code = value["code"]?.intValue
        if let details = value["details"] {
            self.details = Details(
                name: details["name"]?.stringValue, group: details["group"]?.stringValue, kind: details["kind"]?.stringValue,
                causes: details["causes"]?.arrayValue?.map {
                    Cause(reason: $0["reason"]?.stringValue, message: $0["message"]?.stringValue, field: $0["field"]?.stringValue)
                },
                retryAfterSeconds: details["retryAfterSeconds"]?.intValue)
        }
    }
}
