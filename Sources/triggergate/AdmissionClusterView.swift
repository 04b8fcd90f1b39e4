import Admission
import Kube
import Logging
import Metrics
import Reconciler

/// What admission reads of the cluster, wired to the namespace watch cache, discovery and the Kube client (SPEC §4).
/// Its client is admission's own, with a short request timeout, so that its calls never wait behind the reconciler's
/// rate limit and always end well inside the webhook's timeout.
///
/// Every review is counted in `triggergate_subject_access_reviews_total{result}` (`allowed`, `denied`, `error`), and
/// a refusal is logged with the user and what they may not do, for audits.
struct AdmissionClusterView: ClusterView {
    let client: KubeClient
    let namespaces: NamespaceCache
    let jobs: JobCache
    let discovery: DiscoveryCache
    let waveBlocked: WaveBlockedEvents
    let logger: Logger

    /// A view over the caches, asking the cluster of `config` with requests of at most `timeout`.
    init(
        config: KubeConfig, namespaces: NamespaceCache, jobs: JobCache, waveBlocked: WaveBlockedEvents, logger: Logger, timeout: Duration = .seconds(2)
    ) {
        var config = config
        config.requestTimeout = timeout
        client = KubeClient(config: config)
        self.namespaces = namespaces
        self.jobs = jobs
        self.waveBlocked = waveBlocked
        self.logger = logger
        discovery = DiscoveryCache(api: client)
    }

    func blockingJobs(inNamespace namespace: String) -> CacheLookup<[GateJob]> {
        jobs.isSynced ? .known(jobs.blockingJobs(inNamespace: namespace)) : .unsynced
    }

    func gateBlocked(_ block: GateBlock) {
        waveBlocked.blocked(block)
    }

    func triggerSources(ofNamespace namespace: String) -> CacheLookup<String?> {
        namespaces.triggerSources(of: namespace)
    }

    func resource(of target: TriggerTarget) async -> CacheLookup<String?> {
        switch try? await discovery.list(target.groupVersionPath) {
        case .success(let list): .known(list.resource(kind: target.trigger.kind)?.name)
        case .failure(let response) where response.status == 404: .known(nil)
        default: .unsynced
        }
    }

    func review(_ check: AccessCheck, user: UserInfo) async throws -> Bool {
        let allowed: Bool
        do {
            allowed = try await client.review(SubjectAccessReview(
                user: user.username, groups: user.groups, uid: user.uid, extra: user.extra, namespace: check.namespace, verb: check.verb,
                group: check.group, resource: check.resource, subresource: check.subresource, name: check.name)).allowed
        } catch {
            Counter(label: "triggergate_subject_access_reviews_total", dimensions: [("result", "error")]).increment()
            logger.warning("cannot review a requester's authority; the request is denied", metadata: [
                "user": "\(user.username)", "wants": "\(check)", "error": "\(error)",
            ])
            throw error
        }
        Counter(label: "triggergate_subject_access_reviews_total", dimensions: [("result", allowed ? "allowed" : "denied")]).increment()
        if !allowed {
            logger.info("a trigger was refused: its requester may not do what it asks", metadata: ["user": "\(user.username)", "wants": "\(check)"])
        }
        return allowed
    }

    func exists(_ target: TriggerTarget, resource: String) async -> Bool? {
        do {
            _ = try await client.get(
                ResourceType(group: target.group, version: target.version, plural: resource), namespace: target.namespace, name: target.trigger.name)
            return true
        } catch let error as KubeError where error.kind == .notFound {
            return false
        } catch {
            return nil
        }
    }
}
