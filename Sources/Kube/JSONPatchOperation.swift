import JSON

/// One RFC 6902 JSON patch operation.
public struct JSONPatchOperation: Sendable, Equatable {
    /// `test`, `add`, `replace`, `remove`.
    public var op: String
    /// The JSON pointer, already escaped.
    public var path: String
    /// The value (`test`, `add`, `replace`).
    public var value: JSONValue?

    /// `test` that the value at `path` equals `value` (a precondition: the server answers 422 when it does not).
    public static func test(_ path: [String], _ value: JSONValue) -> Self { Self(op: "test", path: pointer(path), value: value) }
    /// `add` (or replace) `value` at `path`.
    public static func add(_ path: [String], _ value: JSONValue) -> Self { Self(op: "add", path: pointer(path), value: value) }
    /// `replace` the existing value at `path`.
    public static func replace(_ path: [String], _ value: JSONValue) -> Self { Self(op: "replace", path: pointer(path), value: value) }
    /// `remove` the value at `path`.
    public static func remove(_ path: [String]) -> Self { Self(op: "remove", path: pointer(path), value: nil) }

    /// A JSON pointer from keys, escaping `~` as `~0` and `/` as `~1` (RFC 6901): `["metadata", "annotations", "mlops.dev/x"]`
    /// gives `/metadata/annotations/mlops.dev~1x`.
    public static func pointer(_ keys: [String]) -> String {
        jsonPointer(keys)
    }

    /// The operation as JSON: `{"op":…,"path":…,"value":…}`.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("op", .string(op)), ("path", .string(path))]
        if let value { members.append(("value", value)) }
        return .object(members)
    }
}
