/// A NotebookValidationJob that blocks a wave (SPEC §3), as the watch cache keeps it for the gate.
public struct GateJob: Sendable, Hashable {
    /// The job's namespace.
    public var namespace: String
    /// The job's name.
    public var name: String
    /// Its `app.kubernetes.io/instance` label.
    public var instance: String?
    /// The application of its `argocd.argoproj.io/tracking-id`.
    public var trackedApplication: String?
    /// Its `mlops.dev/block-wave`.
    public var blockWave: Int32
    /// Its phase, empty before the operator set one.
    public var phase: String

    /// The gate entry of a job, or `nil` when the job gates nothing: no block-wave, or a malformed block-wave or sync-wave.
    /// - Parameters:
    ///   - labels: the job's labels (only `app.kubernetes.io/instance` is read).
    ///   - annotations: the job's annotations.
    public init?(namespace: String, name: String, labels: [String: String], annotations: [String: String], phase: String) {
        guard let text = annotations[AnnotationKeys.blockWave], let blockWave = WaveRules.parseInt32(text, allowPlus: false),
              WaveRules.problems(in: annotations).isEmpty else { return nil }
        self.namespace = namespace
        self.name = name
        instance = labels[AnnotationKeys.instanceLabel]
        trackedApplication = annotations[AnnotationKeys.trackingID].flatMap(WaveGate.application(ofTrackingID:))
        self.blockWave = blockWave
        self.phase = phase
    }

    /// Whether an object with this instance label and tracking-id belongs to the job's application; a job with
    /// neither gates its whole namespace.
    func sharesApplication(instance other: String?, trackedApplication otherTracked: String?) -> Bool {
        guard instance != nil || trackedApplication != nil else { return true }
        return (instance != nil && instance == other) || (trackedApplication != nil && trackedApplication == otherTracked)
    }
}

/// A refusal of the wave gate: which jobs held back which object in which wave, for the `WaveBlocked` Events that
/// `serve` writes off the request's path (SPEC §7).
public struct GateBlock: Sendable, Hashable {
    /// The jobs that block the object, by name.
    public var jobs: [GateJob]
    /// The object's sync wave.
    public var wave: Int32
    /// The object: `apiVersion kind namespace/name`.
    public var object: String
}

/// How the gate answered, for the `triggergate_gate_decisions_total{result}` metric.
public enum GateResult: String, Sendable {
    /// Admitted: nothing blocks the object, or it is never gated.
    case allowed
    /// Denied: a job blocks the object's wave.
    case blocked
    /// Admitted with a warning: the job cache has not synced.
    case unsynced
}

/// The wave gate's decision (SPEC §3): pure, over the blocking jobs of the object's namespace.
public enum WaveGate {
    /// The controllers of the cluster itself, never gated.
    static let clusterControllers = ["system:kube-controller-manager", "system:serviceaccount:kube-system:*", "system:node:*"]

    /// The application name of an `argocd.argoproj.io/tracking-id` (`<app>:<group>/<kind>:<namespace>/<name>`; with
    /// apps in any namespace, `<app namespace>_<app>`), or `nil` when it has no `:`.
    public static func application(ofTrackingID id: String) -> String? {
        guard let colon = id.firstIndex(of: ":"), colon > id.startIndex else { return nil }
        return String(id[..<colon])
    }

    /// Whether `username` matches an entry: exact, or a prefix when the entry ends in `*`.
    static func matches(_ username: String, _ entries: [String]) -> Bool {
        entries.contains { $0.hasSuffix("*") ? username.hasPrefix($0.dropLast()) : username == $0 }
    }

    /// The gate's decision for a request.
    /// - Parameters:
    ///   - request: the admission request.
    ///   - policy: triggergate's own identity and the exempt identities.
    ///   - jobs: the blocking jobs of the object's namespace, or `.unsynced`.
    /// - Returns: the decision, its result, and for a refusal what refused what (for the `WaveBlocked` Events).
    static func decide(
        _ request: AdmissionRequest, policy: AdmissionPolicy, jobs: (String) -> CacheLookup<[GateJob]>
    ) -> (AdmissionDecision, GateResult, GateBlock?) {
        guard request.operation == "CREATE" || request.operation == "UPDATE", (request.subResource ?? "").isEmpty,
              let object = request.object, let waveText = object.annotations?[AnnotationKeys.syncWave] else {
            return (AdmissionDecision(), .allowed, nil)
        }
        let user = request.userInfo.username
        guard user != policy.controllerUsername, !matches(user, clusterControllers + policy.gateExempt) else {
            return (AdmissionDecision(), .allowed, nil)
        }
        guard let wave = WaveRules.parseInt32(waveText, allowPlus: true) else {
            return (AdmissionDecision(warnings: [boundedWarning(
                "\(AnnotationKeys.syncWave) \(quoted(waveText)) is not a decimal int32; the wave gate did not check this object")]), .allowed, nil)
        }
        let namespace = object.namespace ?? request.namespace ?? "default"
        guard case .known(let candidates) = jobs(namespace) else {
            return (AdmissionDecision(warnings: ["the wave gate's job cache has not synced yet; this object was not checked"]), .unsynced, nil)
        }
        let isJob = isNotebookValidationJob(object)
        let tracked = object.trackingID.flatMap(application(ofTrackingID:))
        let blockers = candidates.filter { job in
            wave >= job.blockWave && job.phase != "Succeeded" && !(isJob && job.name == object.name)
                && job.sharesApplication(instance: object.instance, trackedApplication: tracked)
        }.sorted { $0.name < $1.name }
        guard !blockers.isEmpty else { return (AdmissionDecision(), .allowed, nil) }
        let named = blockers.map { "NotebookValidationJob \($0.namespace)/\($0.name) (\($0.phase.isEmpty ? "no phase yet" : "phase \($0.phase)"))" }
        let opens = blockers.count == 1 ? "it opens when that job succeeds" : "it opens when these jobs succeed"
        let block = GateBlock(jobs: blockers, wave: wave, object: "\(object.apiVersion) \(object.kind) \(namespace)/\(object.name ?? "(name to be generated)")")
        return (AdmissionDecision.denied(403, "wave \(wave) is blocked by \(named.joined(separator: ", ")); \(opens)"), .blocked, block)
    }
}
