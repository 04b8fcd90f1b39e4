import Kube
import Foundation
import Reconciler

/// A small in-memory API server for the runner's unit tests: objects by path, merge patches with the
/// resourceVersion precondition, label-selected pod lists, evictions, Events and discovery from the fixtures.
final class MemoryCluster: APITransport, @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [String: [String: Any]] = [:]
    private var requests: [APIRequest] = []
    private var version = 100
    /// Answers queued for a `METHOD path`, used before the normal handling.
    private var queued: [String: [APIResponse]] = [:]

    func put(_ path: String, _ object: [String: Any]) {
        lock.lock()
        defer { lock.unlock() }
        var object = object
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        version += 1
        metadata["resourceVersion"] = String(version)
        object["metadata"] = metadata
        objects[path] = object
    }

    func queue(_ method: String, _ path: String, _ responses: APIResponse...) {
        lock.lock()
        defer { lock.unlock() }
        queued["\(method) \(path)", default: []] += responses
    }

    func object(_ path: String) -> [String: Any]? {
        lock.lock()
        defer { lock.unlock() }
        return objects[path]
    }

    func clearRequests() {
        lock.lock()
        defer { lock.unlock() }
        requests = []
    }

    /// Every request so far.
    var sent: [APIRequest] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    /// The requests other than reads: what changed the cluster.
    var writes: [APIRequest] { sent.filter { $0.method != "GET" } }

    func send(_ request: APIRequest) async throws -> APIResponse {
        lock.withLock { handle(request) }
    }

    private func handle(_ request: APIRequest) -> APIResponse {
        requests.append(request)
        if var answers = queued["\(request.method) \(request.path)"], !answers.isEmpty {
            let answer = answers.removeFirst()
            queued["\(request.method) \(request.path)"] = answers
            return answer
        }
        let parts = request.path.split(separator: "?", maxSplits: 1).map(String.init)
        let path = parts[0]
        switch request.method {
        case "GET":
            if path == "/api/v1" { return (try? CapturedRequest.responseBody("03")).map { APIResponse(status: 200, body: $0) } ?? Self.status(500) }
            if path == "/apis/serving.kserve.io/v1beta1" { return (try? CapturedRequest.responseBody("08")).map { APIResponse(status: 200, body: $0) } ?? Self.status(500) }
            if path.hasSuffix("/pods"), parts.count == 2 { return listPods(path, query: parts[1]) }
            guard let object = objects[path] else { return Self.status(404) }
            return Self.json(200, object)
        case "PATCH":
            return patch(path, request.body ?? [])
        case "POST" where path.hasSuffix("/eviction"):
            let pod = String(path.dropLast("/eviction".count))
            guard objects.removeValue(forKey: pod) != nil else { return Self.status(404) }
            return Self.json(201, ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201])
        case "POST":
            return Self.json(201, (try? JSONSerialization.jsonObject(with: Data(request.body ?? []))) as? [String: Any] ?? [:])
        default:
            return Self.status(405)
        }
    }

    private func patch(_ path: String, _ body: [UInt8]) -> APIResponse {
        guard var object = objects[path] else { return Self.status(404) }
        guard let patch = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return Self.status(400) }
        let current = (object["metadata"] as? [String: Any])?["resourceVersion"] as? String
        if let wanted = (patch["metadata"] as? [String: Any])?["resourceVersion"] as? String, wanted != current {
            return Self.status(409)
        }
        let merged = Self.merge(object, patch)
        guard !NSDictionary(dictionary: merged).isEqual(to: object) else { return Self.json(200, object) }
        object = merged
        version += 1
        var metadata = object["metadata"] as? [String: Any] ?? [:]
        metadata["resourceVersion"] = String(version)
        object["metadata"] = metadata
        objects[path] = object
        return Self.json(200, object)
    }

    private func listPods(_ path: String, query: String) -> APIResponse {
        let selector = query.removingPercentEncoding?.replacingOccurrences(of: "labelSelector=", with: "") ?? ""
        let pair = selector.split(separator: "=", maxSplits: 1).map(String.init)
        let items = objects.filter { key, object in
            key.hasPrefix(path + "/") && ((object["metadata"] as? [String: Any])?["labels"] as? [String: String])?[pair[0]] == pair[1]
        }.sorted { $0.key < $1.key }.map(\.value)
        return Self.json(200, ["kind": "PodList", "apiVersion": "v1", "metadata": [:], "items": items])
    }

    /// RFC 7386 merge patch.
    static func merge(_ target: [String: Any], _ patch: [String: Any]) -> [String: Any] {
        var result = target
        for (key, value) in patch {
            if value is NSNull {
                result.removeValue(forKey: key)
            } else if let nested = value as? [String: Any] {
                result[key] = merge(result[key] as? [String: Any] ?? [:], nested)
            } else {
                result[key] = value
            }
        }
        return result
    }

    static func json(_ status: Int, _ object: [String: Any]) -> APIResponse {
        APIResponse(status: status, body: Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data()))
    }

    static func status(_ code: Int, message: String = "") -> APIResponse {
        json(code, ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": message, "code": code])
    }
}
