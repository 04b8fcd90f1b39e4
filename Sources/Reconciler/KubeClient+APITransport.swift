public import Kube

/// The Kubernetes client carries the reconciler's exact requests.
extension KubeClient: APITransport {
    /// Sends `request` and returns the answer, whatever its status.
    public func send(_ request: APIRequest) async throws -> APIResponse {
        let response = try await send(
            KubeRequest(method: request.method, path: request.path, contentType: request.contentType, body: request.body ?? []))
        let retryAfter = response.headers["Retry-After"].flatMap(Int64.init).map { Duration.seconds($0) }
        return APIResponse(status: response.status, body: response.body, retryAfter: retryAfter)
    }
}
