public import Kube

/// Discovery answers per group/version. An answer older than `lifetime` is still used while a fresh one is fetched in
/// the background, so a lookup after the first costs no API call. A `404` (the group/version is not served) is kept
/// the same way, so that a kind the cluster does not serve is not asked for on every admission request; other failures
/// are not kept.
public actor DiscoveryCache {
    private struct Entry {
        var answer: Result<APIResourceList, APIResponse>
        var fetched: ContinuousClock.Instant
    }

    private let api: any APITransport
    private let lifetime: Duration
    private var entries: [String: Entry] = [:]
    private var refreshing: Set<String> = []

    /// Creates a cache that asks `api`.
    /// - Parameters:
    ///   - api: where discovery is asked.
    ///   - lifetime: how long an answer is used before it is fetched again in the background.
    public init(api: any APITransport, lifetime: Duration = .seconds(60)) {
        self.api = api
        self.lifetime = lifetime
    }

    /// The resource list of `/api/v1` or `/apis/<group>/<version>`; an answer that is not a success comes back as is.
    public func list(_ groupVersionPath: String) async throws -> Result<APIResourceList, APIResponse> {
        guard let entry = entries[groupVersionPath] else { return try await fetch(groupVersionPath) }
        if ContinuousClock.now - entry.fetched > lifetime, refreshing.insert(groupVersionPath).inserted {
            Task {
                _ = try? await self.fetch(groupVersionPath)
                self.refreshed(groupVersionPath)
            }
        }
        return entry.answer
    }

    private func refreshed(_ groupVersionPath: String) {
        refreshing.remove(groupVersionPath)
    }

    private func fetch(_ groupVersionPath: String) async throws -> Result<APIResourceList, APIResponse> {
        let response = try await api.send(TriggerRequests.discovery(groupVersionPath))
        let answer: Result<APIResourceList, APIResponse>
        if !response.isSuccess {
            answer = .failure(response)
        } else if let list = APIResourceList(body: response.body) {
            answer = .success(list)
        } else {
            answer = .failure(APIResponse(status: 500, body: Array("discovery of \(groupVersionPath) is not an APIResourceList".utf8)))
        }
        if response.isSuccess || response.status == 404 {
            entries[groupVersionPath] = Entry(answer: answer, fetched: .now)
        }
        return answer
    }
}

extension APIResponse: Error {}
