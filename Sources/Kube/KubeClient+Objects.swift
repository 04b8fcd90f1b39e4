extension KubeClient {
    /// Media type of a JSON merge patch (RFC 7386).
    public static let mergePatchType = "application/merge-patch+json"
    /// Media type of a JSON patch (RFC 6902).
    public static let jsonPatchType = "application/json-patch+json"

    /// Reads one object.
    public func get(_ resource: ResourceType, namespace: String?, name: String, subresource: String? = nil) async throws -> JSONValue {
        let request = KubeRequest(method: "GET", path: resource.path(namespace: namespace, name: name, subresource: subresource))
        return try parse(try await call(request), request)
    }

    /// Lists objects, in one namespace or all (`namespace` nil).
    ///
    /// - Parameters:
    ///   - labelSelector: For example `serving.kserve.io/inferenceservice=web`.
    ///   - fieldSelector: For example `metadata.name=train`.
    ///   - resourceVersion: `"0"` lets the server answer from its cache; nil asks for the latest.
    ///   - limit: Page size; follow ``ObjectList/continueToken`` with `continueToken`.
    public func list(
        _ resource: ResourceType, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        resourceVersion: String? = nil, limit: Int? = nil, continueToken: String? = nil
    ) async throws -> ObjectList {
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken { query.append(("continue", continueToken)) }
        let request = KubeRequest(method: "GET", path: resource.path(namespace: namespace) + PathEscaping.query(query))
        return try ObjectList(body: try await call(request), request: request.summary)
    }

    /// Creates an object (POST to the collection) and returns it as stored.
    public func create(_ resource: ResourceType, namespace: String?, object: JSONValue) async throws -> JSONValue {
        let request = KubeRequest(
            method: "POST", path: resource.path(namespace: namespace), contentType: "application/json", body: object.bytes)
        return try parse(try await call(request), request)
    }

    /// Replaces an object (PUT). Its `metadata.resourceVersion` is a precondition: 409 when the object changed.
    public func update(
        _ resource: ResourceType, namespace: String?, name: String, subresource: String? = nil, object: JSONValue
    ) async throws -> JSONValue {
        let request = KubeRequest(
            method: "PUT", path: resource.path(namespace: namespace, name: name, subresource: subresource),
            contentType: "application/json", body: object.bytes)
        return try parse(try await call(request), request)
    }

    /// Applies a JSON merge patch (RFC 7386) and returns the object as stored. A `metadata.resourceVersion` in the patch
    /// is a precondition: 409 Conflict when the object changed since.
    @discardableResult
    public func mergePatch(
        _ resource: ResourceType, namespace: String?, name: String, subresource: String? = nil, patch: JSONValue
    ) async throws -> JSONValue {
        let request = KubeRequest(
            method: "PATCH", path: resource.path(namespace: namespace, name: name, subresource: subresource),
            contentType: Self.mergePatchType, body: patch.bytes)
        return try parse(try await call(request), request)
    }

    /// Applies a JSON patch (RFC 6902). A failed `test` operation throws a 422 ``KubeError`` with
    /// ``KubeError/isFailedJSONPatchTest`` set: the object changed, which is a conflict, not an invalid request.
    @discardableResult
    public func jsonPatch(
        _ resource: ResourceType, namespace: String?, name: String, subresource: String? = nil, operations: [JSONPatchOperation]
    ) async throws -> JSONValue {
        let request = KubeRequest(
            method: "PATCH", path: resource.path(namespace: namespace, name: name, subresource: subresource),
            contentType: Self.jsonPatchType, body: JSONValue.array(operations.map(\.json)).bytes)
        let hasTest = operations.contains { $0.op == "test" }
        return try parse(try await call(request, sentJSONPatchTest: hasTest), request)
    }

    /// Deletes an object.
    public func delete(_ resource: ResourceType, namespace: String?, name: String) async throws {
        _ = try await call(KubeRequest(method: "DELETE", path: resource.path(namespace: namespace, name: name)))
    }

    /// Parses an answer body as JSON.
    func parse(_ body: [UInt8], _ request: KubeRequest) throws(KubeError) -> JSONValue {
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw KubeError(kind: .decoding, request: request.summary, detail: "the answer is not JSON: \(error)")
        }
    }
}
