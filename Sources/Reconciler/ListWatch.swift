import Kube
import Logging
import Metrics

/// One list-then-watch loop over a resource (SPEC §5), shared by the watch caches: a list, then a watch from the
/// list's resourceVersion with bookmarks; a fresh list after `410 Gone`; reconnection with jittered exponential backoff.
///
/// Every failure is counted in `triggergate_watch_restarts_total{resource,reason}`; the errors (all but a 410) also in
/// `triggergate_watch_errors_total{resource,reason}` and logged at warning with the fix, once per cause per minute.
struct ListWatch: Sendable {
    /// What the loop reports to its cache.
    struct Sink: Sendable {
        /// Every object of the scope, from a fresh list: the cache replaces what it held for the scope.
        var replace: @Sendable ([JSONValue]) -> Void
        /// One watch event (never a bookmark).
        var apply: @Sendable (WatchEvent) -> Void
        /// The scope's first list has been applied.
        var listed: @Sendable () -> Void
    }

    let client: KubeClient
    let resource: ResourceType
    /// The namespace, or `nil` for all namespaces (and for cluster-scoped resources).
    let namespace: String?
    let watchTimeout: Int
    let logger: Logger
    private let backoff = Backoff(base: .milliseconds(200), cap: .seconds(30))
    private let warnings = WarningLimiter()

    init(client: KubeClient, resource: ResourceType, namespace: String?, watchTimeout: Int, logger: Logger) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.watchTimeout = watchTimeout
        self.logger = logger
    }

    /// Lists and watches until cancelled.
    func run(_ sink: Sink) async {
        var resourceVersion: String?
        var failures = 0
        var listed = false
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let list = try await client.list(resource, namespace: namespace)
                    sink.replace(list.items)
                    resourceVersion = list.resourceVersion
                    if !listed {
                        listed = true
                        sink.listed()
                    }
                }
                let stream = try await client.watch(resource, namespace: namespace, resourceVersion: resourceVersion, timeoutSeconds: watchTimeout)
                for try await event in stream {
                    if let version = event.resourceVersion { resourceVersion = version }
                    if event.type != .bookmark { sink.apply(event) }
                    failures = 0
                }
            } catch let error as KubeError where error.kind == .gone {
                restarted(APIFailure(error))
                resourceVersion = nil
            } catch where Task.isCancelled || error is CancellationError {
                return
            } catch {
                failures += 1
                restarted(APIFailure(error))
                try? await Task.sleep(for: backoff.delay(after: failures))
            }
        }
    }

    private func restarted(_ failure: APIFailure) {
        let expired = failure.reason == .expired
        let labels = [("resource", resource.plural), ("reason", failure.reason.rawValue)]
        Counter(label: "triggergate_watch_restarts_total", dimensions: [labels[0], ("reason", expired ? "expired" : "error")]).increment()
        if !expired { Counter(label: "triggergate_watch_errors_total", dimensions: labels).increment() }
        failure.warn(
            expired ? "watch expired (410); listing again" : "watch failed; reconnecting after a backoff",
            fix: fix(failure.reason), key: "watch", limiter: warnings, logger: logger,
            metadata: ["resource": "\(resource.plural)", "scope": "\(namespace ?? "*")"])
    }

    /// What to do about a failed list or watch of this resource.
    private func fix(_ reason: APIFailure.Reason) -> String {
        let name = resource.group.isEmpty ? resource.plural : "\(resource.plural) (\(resource.group))"
        return switch reason {
        case .notFound: "the API server does not serve \(resource); install its CRD (it comes with the operator that owns it)"
        case .forbidden: "grant list and watch on \(name) to triggergate's service account (deploy/base/rbac.yaml)"
        case .expired: "nothing to do: the list is read again"
        default: ""
        }
    }
}
