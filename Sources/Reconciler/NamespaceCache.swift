public import Admission
public import Kube
public import Logging
import Metrics
public import ServiceLifecycle
import Locking

/// Every replica's cache of Namespaces, for cross-namespace consent at admission (SPEC §4): only each namespace's
/// `mlops.dev/trigger-sources` annotation is kept. Lists, then watches, as ``JobCache`` does.
public final class NamespaceCache: Service {
    private struct State {
        var sources: [String: String?] = [:]
        var synced = false
    }

    private let loop: ListWatch
    private let logger: Logger
    private let state = Locked(State())
    private let objects = Gauge(label: "triggergate_watch_objects", dimensions: [("resource", "namespaces")])

    /// Creates a cache.
    /// - Parameters:
    ///   - client: The API client.
    ///   - watchTimeout: The `timeoutSeconds` of each watch request.
    ///   - logger: Where sync and restarts are logged.
    public init(client: KubeClient, watchTimeout: Int = 300, logger: Logger) {
        loop = ListWatch(client: client, resource: .namespaces, namespace: nil, watchTimeout: watchTimeout, logger: logger)
        self.logger = logger
        Gauge(label: "triggergate_watch_synced", dimensions: [("resource", "namespaces")]).record(0)
    }

    /// The `mlops.dev/trigger-sources` of `namespace`: `.known(nil)` when it has none or does not exist,
    /// `.unsynced` before the first list.
    public func triggerSources(of namespace: String) -> CacheLookup<String?> {
        state.withLock { state in
            guard state.synced else { return .unsynced }
            return .known(state.sources[namespace] ?? nil)
        }
    }

    /// Lists and watches until graceful shutdown or cancellation.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.loop.run(ListWatch.Sink(
                replace: { [self] items in replace(items) },
                apply: { [self] event in apply(event) },
                listed: { [self] in markSynced() }))
        }
    }

    private func replace(_ items: [JSONValue]) {
        let fresh = Dictionary(items.compactMap(Self.entry), uniquingKeysWith: { $1 })
        state.withLock { $0.sources = fresh }
        objects.record(fresh.count)
    }

    private func apply(_ event: WatchEvent) {
        guard let (name, sources) = Self.entry(event.object) else { return }
        let count = state.withLock { state in
            state.sources[name] = event.type == .deleted ? nil : .some(sources)
            return state.sources.count
        }
        objects.record(count)
    }

    private func markSynced() {
        let count = state.withLock { state in
            state.synced = true
            return state.sources.count
        }
        Gauge(label: "triggergate_watch_synced", dimensions: [("resource", "namespaces")]).record(1)
        logger.info("namespace cache synced", metadata: ["namespaces": "\(count)"])
    }

    private static func entry(_ object: JSONValue) -> (String, String?)? {
        guard let name = object["metadata", "name"]?.stringValue else { return nil }
        return (name, object["metadata", "annotations", AnnotationKeys.triggerSources]?.stringValue)
    }
}
