/// How admission answered one request: the `result` label of `triggergate_admission_requests_total`.
public enum AdmissionResult: String, Sendable, CaseIterable {
    /// Admitted without warnings.
    case allowed
    /// Refused.
    case denied
    /// Admitted with warnings.
    case warned
    /// Not decided: the request was not an AdmissionReview, or was refused before the rules (404, 405, 429).
    case error
}

/// Answers the admission requests of one server (SPEC §2, §4): first the rules that need only the request, then, when
/// there is a cluster, the cluster rules for the new or changed triggers of an otherwise admitted job.
public final class AdmissionReviewer: Sendable {
    /// Who may write the controller-owned annotations; its controller identity is never reviewed.
    public let policy: AdmissionPolicy
    /// The cluster, or `nil` when there is none (the checks that need it are skipped).
    public let cluster: (any ClusterView)?
    /// The answers for recent trigger lists, shared by every connection.
    let triggerChecks = TriggerCheckMemo()
    private let answers: ClusterAnswers
    private let gateObserver: @Sendable (GateResult) -> Void

    /// Creates a reviewer.
    /// - Parameters:
    ///   - policy: who may write the controller-owned annotations.
    ///   - cluster: what admission may read of the cluster, or `nil` without one.
    ///   - answers: the cache and deadline of the questions asked of the API server.
    ///   - gateObserver: told how the wave gate answered each request it decided (for metrics).
    public init(
        policy: AdmissionPolicy, cluster: (any ClusterView)?, answers: ClusterAnswers = ClusterAnswers(),
        gateObserver: @escaping @Sendable (GateResult) -> Void = { _ in }
    ) {
        self.policy = policy
        self.cluster = cluster
        self.answers = answers
        self.gateObserver = gateObserver
    }

    /// Decides one AdmissionReview body and returns the JSON body of the HTTP 200 response, as
    /// ``reviewAdmission(body:webhook:policy:triggerChecks:)`` does, with the cluster rules added.
    public func review(body: [UInt8], webhook: Webhook) async -> [UInt8] {
        await answer(body: body, webhook: webhook).body
    }

    /// Decides one AdmissionReview body as ``review(body:webhook:)`` does, and says how it answered, for metrics.
    public func answer(body: [UInt8], webhook: Webhook) async -> (body: [UInt8], result: AdmissionResult) {
        switch AdmissionRequest.decodeReview(body) {
        case .success(let request):
            let decision = await decide(request, webhook: webhook)
            return (decision.responseBody(uid: request.uid), !decision.allowed ? .denied : decision.warnings.isEmpty ? .allowed : .warned)
        case .failure(let refusal):
            return (refusal.body, .error)
        }
    }

    func decide(_ request: AdmissionRequest, webhook: Webhook) async -> AdmissionDecision {
        if webhook == .gate {
            guard let cluster else {
                gateObserver(.allowed)
                return AdmissionDecision()
            }
            let (decision, result, block) = WaveGate.decide(request, policy: policy) { cluster.blockingJobs(inNamespace: $0) }
            gateObserver(result)
            if let block { cluster.gateBlocked(block) }
            return decision
        }
        var (decision, triggers) = Admission.decide(request, webhook: webhook, policy: policy, triggerChecks: triggerChecks)
        guard decision.allowed, let cluster, !triggers.isEmpty, let job = request.object else { return decision }
        let namespace = job.namespace ?? request.namespace ?? "default"
        let user = request.userInfo
        let facts = await TriggerAuthority.gather(
            triggers, jobNamespace: namespace, user: user, reviewed: user.username != policy.controllerUsername,
            view: cluster, answers: answers)
        let findings = TriggerAuthority.judge(triggers, facts: facts, jobNamespace: namespace, user: user)
        decision.warnings += findings.warnings
        guard findings.problems.isEmpty else {
            var denial = AdmissionDecision.denied(findings.forbidden.isEmpty ? 422 : 403, AnnotationProblems(findings.problems).description)
            denial.warnings = decision.warnings
            return denial
        }
        return decision
    }
}
