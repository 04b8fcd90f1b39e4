import Admission

/// Carries out one attempt of one trigger through the API (SPEC §1.1). Every action is idempotent within its run,
/// so an attempt repeated after a crash has the effect of one.
public struct TriggerPerformer: Sendable {
    private let api: any APITransport
    private let discovery: DiscoveryCache

    /// Creates a performer that talks to `api`.
    public init(api: any APITransport, discovery: DiscoveryCache) {
        self.api = api
        self.discovery = discovery
    }

    /// Makes one attempt of the trigger at `index` of `status`, for `job`.
    public func perform(_ index: Int, of status: TriggerStatus, job: Job) async -> ActionOutcome {
        let entry = status.triggers[index]
        guard let trigger = entry.trigger else {
            return .failed("trigger-status target \(entry.target) is not <apiVersion>/<kind>/<namespace>/<name>")
        }
        let target = TriggerTarget(trigger, jobNamespace: job.metadata.namespace)
        do {
            if target.namespace != job.metadata.namespace, let refusal = try await consent(target, source: job.metadata.namespace) {
                return refusal
            }
            let at = entry.at ?? status.run
            switch trigger.action {
            case .restart:
                if let plural = target.appsWorkloadPlural {
                    return try await restartWorkload(target, plural: plural, at: at)
                }
                if target.isInferenceService {
                    return try await restartInferenceService(target, cutoff: status.started ?? status.run)
                }
            case .sync:
                if target.isArgoApplication { return try await sync(target, run: status.run) }
            case .refresh:
                return try await refresh(target, at: at)
            }
            return .failed("\(target.label): unsupported target; restart supports apps/v1 Deployment, StatefulSet, DaemonSet and serving.kserve.io/v1beta1 InferenceService, sync supports argoproj.io/v1alpha1 Application")
        } catch let response as APIResponse {
            return .error(response, target: target, doing: "discovery")
        } catch {
            return .unreachable(error, target: target, doing: trigger.action.rawValue)
        }
    }

    /// `nil` when the target namespace consents, else the failure.
    private func consent(_ target: TriggerTarget, source: String) async throws -> ActionOutcome? {
        let response = try await api.send(TriggerRequests.getNamespace(target.namespace))
        guard response.isSuccess else { return .error(response, target: target, doing: "get namespace \(target.namespace)") }
        let annotations = APIObjects.decode(APIObjects.Annotated.self, response.body)?.metadata.annotations
        return Consent.allows(annotations?[AnnotationKey.triggerSources], source: source)
            ? nil : .failed("\(target.label): \(Consent.refusal(source: source, target: target))")
    }

    private func restartWorkload(_ target: TriggerTarget, plural: String, at: String) async throws -> ActionOutcome {
        let response = try await api.send(TriggerRequests.restartWorkload(target, plural: plural, restartedAt: at))
        guard response.isSuccess else { return .error(response, target: target, doing: "patch \(plural)") }
        return .succeeded("\(target.label): \(AnnotationKey.restartedAt)=\(at) set on the pod template")
    }

    private func restartInferenceService(_ target: TriggerTarget, cutoff: String) async throws -> ActionOutcome {
        guard let cutoffTime = Timestamp(rfc3339: cutoff) else { return .failed("\(target.label): run start \(cutoff) is not an RFC 3339 time") }
        let evictionVersion = try await discovery.list("/api/v1").get().evictionGroupVersion
        let listed = try await api.send(TriggerRequests.listInferenceServicePods(target))
        guard listed.isSuccess else { return .error(listed, target: target, doing: "list pods") }
        guard let pods = APIObjects.decode(APIObjects.PodList.self, listed.body) else {
            return .retry("\(target.label): list pods: the answer is not a PodList")
        }
        let old = pods.items.map(\.metadata).filter { pod in
            guard pod.deletionTimestamp == nil, let created = pod.creationTimestamp.flatMap(Timestamp.init(rfc3339:)) else { return false }
            return created < cutoffTime
        }
        var evicted = 0
        for pod in old.sorted(by: { $0.name < $1.name }) {
            let request = TriggerRequests.evict(pod: pod.name, namespace: target.namespace, evictionGroupVersion: evictionVersion)
            let response = try await api.send(request)
            if response.status == 404 { continue }
            guard response.isSuccess else { return .error(response, target: target, doing: "evict pod \(pod.name) (\(evicted) of \(old.count) evicted so far)") }
            evicted += 1
            if evicted < old.count { TestingHook.reach(.midEviction) }
        }
        guard !old.isEmpty else {
            return .succeeded("\(target.label): no pod labelled \(AnnotationKey.inferenceServiceLabel)=\(target.trigger.name) was created before \(cutoff); nothing to evict")
        }
        return .succeeded("\(target.label): evicted \(evicted) pod(s) created before \(cutoff)")
    }

    private func sync(_ target: TriggerTarget, run: String) async throws -> ActionOutcome {
        let read = try await api.send(TriggerRequests.getApplication(target))
        guard read.isSuccess else { return .error(read, target: target, doing: "get applications") }
        guard let app = APIObjects.decode(APIObjects.Application.self, read.body), let version = app.metadata.resourceVersion else {
            return .retry("\(target.label): get applications: the answer is not an Application")
        }
        if app.operation?.isTagged(run: run) == true || app.status?.operationState?.operation?.isTagged(run: run) == true {
            return .succeeded("\(target.label): sync operation for run \(run) started")
        }
        if app.operation != nil {
            return .retry("\(target.label): an operation is already running on the Application; waiting for it to finish")
        }
        let patched = try await api.send(TriggerRequests.sync(target, run: run, resourceVersion: version))
        guard patched.isSuccess else { return .error(patched, target: target, doing: "patch applications") }
        return .succeeded("\(target.label): sync operation for run \(run) started")
    }

    private func refresh(_ target: TriggerTarget, at: String) async throws -> ActionOutcome {
        if target.isArgoApplication {
            let response = try await api.send(TriggerRequests.refreshApplication(target))
            guard response.isSuccess else { return .error(response, target: target, doing: "patch applications") }
            return .succeeded("\(target.label): annotation \(AnnotationKey.argoRefresh)=normal set")
        }
        let list = try await discovery.list(target.groupVersionPath).get()
        guard let resource = list.resource(kind: target.trigger.kind) else {
            return .failed("\(target.label): discovery of \(target.trigger.apiVersion) lists no kind \(target.trigger.kind); check the trigger's apiVersion and kind")
        }
        let request = TriggerRequests.refresh(target, plural: resource.name, namespaced: resource.namespaced, refreshedAt: at)
        let response = try await api.send(request)
        guard response.isSuccess else { return .error(response, target: target, doing: "patch \(resource.name)") }
        return .succeeded("\(target.label): annotation \(AnnotationKey.refreshedAt)=\(at) set")
    }
}
