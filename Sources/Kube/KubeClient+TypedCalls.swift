extension KubeClient {
    /// Evicts a pod through the `pods/eviction` subresource; the server honours PodDisruptionBudgets.
    ///
    /// - Parameters:
    ///   - groupVersion: The Eviction version from ``evictionGroupVersion()``.
    /// - Throws: ``KubeError`` `.tooManyRequests` when a budget refuses (retry later), `.notFound` when the pod is gone.
    public func evict(pod name: String, namespace: String, groupVersion: String) async throws {
        let body: JSONValue = [
            "apiVersion": .string(groupVersion), "kind": "Eviction",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
        ]
        _ = try await call(KubeRequest(
            method: "POST", path: ResourceType.pods.path(namespace: namespace, name: name, subresource: "eviction"),
            contentType: "application/json", body: body.bytes))
    }

    /// Creates a core/v1 Event and returns it as stored.
    @discardableResult
    public func createEvent(_ event: KubeEvent) async throws -> JSONValue {
        try await create(.events, namespace: event.namespace, object: event.json)
    }

    /// Asks whether a user may do something (`authorization.k8s.io/v1` SubjectAccessReview).
    public func review(_ review: SubjectAccessReview) async throws -> SubjectAccessReview.Result {
        let answer = try await create(.subjectAccessReviews, namespace: nil, object: review.json)
        return SubjectAccessReview.Result(
            allowed: answer["status", "allowed"]?.boolValue ?? false, denied: answer["status", "denied"]?.boolValue ?? false,
            reason: answer["status", "reason"]?.stringValue)
    }

    /// Reads a Lease; nil when it does not exist.
    public func lease(namespace: String, name: String) async throws -> Lease? {
        do {
            return try Lease(json: try await get(.leases, namespace: namespace, name: name))
        } catch let error as KubeError where error.kind == .notFound {
            return nil
        }
    }

    /// Creates a Lease; 409 (`isAlreadyExists`) when another instance created it first.
    public func createLease(_ lease: Lease) async throws -> Lease {
        try Lease(json: try await create(.leases, namespace: lease.namespace, object: lease.json))
    }

    /// Replaces a Lease; its resourceVersion is a precondition (409 when another instance wrote it since).
    public func updateLease(_ lease: Lease) async throws -> Lease {
        try Lease(json: try await update(.leases, namespace: lease.namespace, name: lease.name, object: lease.json))
    }
}
