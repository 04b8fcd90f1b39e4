/// A list answer: the items and the resourceVersion to watch from.
public struct ObjectList: Sendable {
    /// The objects.
    public var items: [JSONValue]
    /// The list's `metadata.resourceVersion`: start a watch from here to miss nothing.
    public var resourceVersion: String
    /// The `metadata.continue` token when the list was cut by `limit`; nil at the end.
    public var continueToken: String?

    /// Decodes a list body.
    init(body: [UInt8], request: String) throws(KubeError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            throw KubeError(kind: .decoding, request: request, detail: "the list is not JSON: \(error)")
        }
        guard let items = value["items"]?.arrayValue ?? (value["items"] == .null ? [] : nil) else {
            throw KubeError(kind: .decoding, request: request, detail: "the answer is not a list (no items)")
        }
        self.items = items
        resourceVersion = value["metadata", "resourceVersion"]?.stringValue ?? ""
        let token = value["metadata", "continue"]?.stringValue ?? ""
        continueToken = token.isEmpty ? nil : token
    }
}
