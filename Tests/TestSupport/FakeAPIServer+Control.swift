import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A fault for the fake to inject into matching API requests (see `Tests/FakeAPIServer/faults.py`).
public struct FakeFault: Encodable, Sendable {
    /// HTTP method to match, or "*".
    public var method: String
    /// Regular expression searched in the request path.
    public var path: String
    /// Regular expression searched in the raw query, if set.
    public var query: String?
    /// How many requests it applies to; 0 = all of them.
    public var count: Int
    /// Seconds to wait before answering.
    public var delay: Double?
    /// Answer with a `Status` of this code (500, 429, 503, 409, ...).
    public var status: Int?
    /// With `status`: a `Retry-After` header and `details.retryAfterSeconds`.
    public var retryAfter: Int?
    /// Close the connection without any answer.
    public var drop: Bool?
    /// A watch sends this many events, then the TCP connection is closed mid-stream.
    public var dropWatchAfter: Int?
    /// A watch answers 200 with one ERROR event (Status 410 Expired).
    public var expireWatch: Bool?
    /// Evictions are refused with 429: "violated" (budget exhausted) or "processing" (PDB not yet processed).
    public var pdb: String?
    /// With `pdb`: the PodDisruptionBudget's name in the message.
    public var budget: String?

    /// A fault; set the effect fields you need.
    public init(
        method: String = "*", path: String, query: String? = nil, count: Int = 1, delay: Double? = nil,
        status: Int? = nil, retryAfter: Int? = nil, drop: Bool? = nil, dropWatchAfter: Int? = nil,
        expireWatch: Bool? = nil, pdb: String? = nil, budget: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.count = count
        self.delay = delay
        self.status = status
        self.retryAfter = retryAfter
        self.drop = drop
        self.dropWatchAfter = dropWatchAfter
        self.expireWatch = expireWatch
        self.pdb = pdb
        self.budget = budget
    }

    enum CodingKeys: String, CodingKey {
        case method, path, query, count, delay, status, drop, pdb, budget
        case retryAfter = "retry_after", dropWatchAfter = "drop_watch_after", expireWatch = "expire_watch"
    }
}

/// One API request the fake saw.
public struct FakeRequest: Decodable, Sendable {
    /// HTTP method.
    public var method: String
    /// Request path, without the query.
    public var path: String
    /// Raw query string ("" when none).
    public var query: String
    /// `Content-Type` header as sent.
    public var contentType: String?
    /// `User-Agent` header as sent.
    public var userAgent: String?
    /// `Authorization` header as sent.
    public var authorization: String?
    /// The request body as text.
    public var body: String
    /// Kubernetes verb: get, list, watch, create, update, patch, delete (the method, lowercased, for other paths).
    public var verb: String
    /// API group of a resource request ("" for core), nil for other paths.
    public var group: String?
    /// Resource with subresource (`pods/eviction`), nil for other paths.
    public var resource: String?
    /// Namespace in the path, if any.
    public var namespace: String?
    /// Object name in the path, if any.
    public var name: String?
    /// The client's address and port: requests on one keep-alive connection share it.
    public var peer: String


    enum CodingKeys: String, CodingKey {
        case method, path, query, body, verb, group, resource, namespace, name, authorization, peer
        case contentType = "content_type", userAgent = "user_agent"
    }
}

extension FakeAPIServer {
    /// Sets objects exactly as given (JSON text of one object each): status, creationTimestamp and generation are
    /// kept; resourceVersion and uid are assigned. Watches see ADDED or MODIFIED.
    @discardableResult
    public func setObject(_ json: String) async throws -> [String: any Sendable] {
        let data = try await control("POST", "objects", Data(json.utf8))
        return try JSONSerialization.jsonObject(with: data) as? [String: any Sendable] ?? [:]
    }

    /// Sets many objects in one call (a JSON array of objects).
    public func setObjects(_ jsonArray: String) async throws {
        _ = try await control("POST", "objects", Data(jsonArray.utf8))
    }

    /// The stored object at an API path (e.g. `/apis/apps/v1/namespaces/ml/deployments/web`), or nil.
    public func object(at path: String) async throws -> [String: Any]? {
        var components = URLComponents(string: controlURL + "/__fake/object")!
        components.queryItems = [URLQueryItem(name: "path", value: path)]
        let (data, response) = try await URLSession.shared.data(from: components.url!)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any]
    }

    /// Arms a fault; returns its id.
    @discardableResult
    public func injectFault(_ fault: FakeFault) async throws -> Int {
        let data = try await control("POST", "faults", try JSONEncoder().encode(fault))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["id"] as? Int ?? 0
    }

    /// Disarms every fault.
    public func clearFaults() async throws { _ = try await control("DELETE", "faults") }

    /// Every API request seen so far, in order.
    public func requests() async throws -> [FakeRequest] {
        try JSONDecoder().decode([FakeRequest].self, from: try await control("GET", "requests"))
    }

    /// Forgets the requests seen so far.
    public func clearRequests() async throws { _ = try await control("DELETE", "requests") }

    /// What RBAC must grant for the requests seen so far, as the API server's authorizer sees them.
    public func rbac() async throws -> Set<RBACGrant> {
        Set(try await requests().compactMap { RBACGrant(method: $0.method, path: $0.path + ($0.query.isEmpty ? "" : "?" + $0.query)) })
    }

    /// Changes settings: `latency` (seconds added to every API request), `bookmark_interval` (seconds),
    /// `sar_allowed` (SubjectAccessReview answer for all), `sar_grants` (the grants SubjectAccessReviews are judged by: see
    /// `api.py`), `tokens` (accepted bearer tokens, for rotation).
    public func configure(_ settingsJSON: String) async throws {
        _ = try await control("POST", "config", Data(settingsJSON.utf8))
    }

    /// Forgets the watch history: watches from any older resourceVersion then get 410.
    public func compact() async throws { _ = try await control("POST", "compact") }

    func control(_ method: String, _ name: String, _ body: Data? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: controlURL + "/__fake/" + name)!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard code == 200 else {
            throw FakeAPIServerError(message: "\(method) /__fake/\(name): HTTP \(code): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }
}
