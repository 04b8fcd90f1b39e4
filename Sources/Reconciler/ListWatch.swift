import Kube
import Logging
import Metrics

/// One list-then-watch loop over a resource (SPEC §5), shared by the watch caches: a list, then a watch from the
/// list's resourceVersion with bookmarks; a fresh list after `410 Gone`; reconnection with jittered exponential backoff.
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
                restarted(reason: "expired", detail: error.description)
                resourceVersion = nil
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                restarted(reason: "error", detail: "\(error)")
                try? await Task.sleep(for: backoff.delay(after: failures))
            }
        }
    }

    private func restarted(reason: String, detail: String) {
        Counter(label: "triggergate_watch_restarts_total", dimensions: [("resource", resource.plural), ("reason", reason)]).increment()
        let message: Logger.Message = reason == "expired" ? "watch expired (410); listing again" : "watch failed; reconnecting after a backoff"
        logger.warning(message, metadata: ["resource": "\(resource.plural)", "scope": "\(namespace ?? "*")", "error": "\(detail)"])
    }
}
