public import Kube

/// Discovery answers, remembered per group/version for the life of the process.
public actor DiscoveryCache {
    private let api: any APITransport
    private var lists: [String: APIResourceList] = [:]

    /// Creates a cache that asks `api`.
    public init(api: any APITransport) {
        self.api = api
    }

    /// The resource list of `/api/v1` or `/apis/<group>/<version>`; an answer that is not a success comes back as is.
    public func list(_ groupVersionPath: String) async throws -> Result<APIResourceList, APIResponse> {
        if let known = lists[groupVersionPath] { return .success(known) }
        let response = try await api.send(TriggerRequests.discovery(groupVersionPath))
        guard response.isSuccess else { return .failure(response) }
        guard let list = APIResourceList(body: response.body) else {
            return .failure(APIResponse(status: 500, body: Array("discovery of \(groupVersionPath) is not an APIResourceList".utf8)))
        }
        lists[groupVersionPath] = list
        return .success(list)
    }
}

extension APIResponse: Error {}
