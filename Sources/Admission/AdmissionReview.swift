/// Decides one AdmissionReview request and returns the JSON body of the HTTP 200 response (SPEC §2).
///
/// The response is an `admission.k8s.io/v1` AdmissionReview that echoes the request's `uid`. A body that cannot be
/// decoded is answered with `status.code` 400 and a message saying why (with the uid when it can be found).
/// The decision depends only on the request, so a repeated call gives the same answer.
/// - Parameters:
///   - body: the request body as the API server sent it.
///   - webhook: which webhook path received it.
///   - policy: who may write the controller-owned annotations.
///   - triggerChecks: where the answers for recent trigger lists are remembered, or `nil` to parse every time.
/// - Returns: the response body, always a JSON AdmissionReview.
public func reviewAdmission(body: [UInt8], webhook: Webhook, policy: AdmissionPolicy, triggerChecks: TriggerCheckMemo? = nil) -> [UInt8] {
    switch AdmissionRequest.decodeReview(body) {
    case .success(let request):
        return decide(request, webhook: webhook, policy: policy, triggerChecks: triggerChecks).decision.responseBody(uid: request.uid)
    case .failure(let refusal):
        return refusal.body
    }
}

/// The answer to a body that is not a readable AdmissionReview: 400 with a message saying why.
struct UndecodableReview: Error {
    /// The response body, with the request's uid when it could be read.
    var body: [UInt8]
}

extension AdmissionRequest {
    /// Decodes a request, or makes the 400 answer to a body that cannot be decoded.
    static func decodeReview(_ body: [UInt8]) -> Result<AdmissionRequest, UndecodableReview> {
        var uid: String?
        do {
            return .success(try decode(body, uid: &uid))
        } catch {
            return .failure(UndecodableReview(
                body: AdmissionDecision.denied(400, "cannot decode the AdmissionReview: \(error.message)").responseBody(uid: uid ?? "")))
        }
    }
}

/// The decision for a decoded request, from the request alone, and the new or changed triggers of an admitted job,
/// which the cluster rules look at next.
func decide(
    _ request: AdmissionRequest, webhook: Webhook, policy: AdmissionPolicy, triggerChecks: TriggerCheckMemo?
) -> (decision: AdmissionDecision, newTriggers: [PlacedTrigger]) {
    guard request.operation == "CREATE" || request.operation == "UPDATE", (request.subResource ?? "").isEmpty,
          let object = request.object, isNotebookValidationJob(object) else {
        return (AdmissionDecision(), [])
    }
    let mayWrite = policy.mayWriteControllerKeys(request.userInfo.username)
    let oldAnnotations = request.operation == "UPDATE" ? (request.oldObject?.annotations ?? [:]) : nil
    switch webhook {
    case .gate:
        return (AdmissionDecision(), [])
    case .mutate:
        guard !mayWrite, let oldAnnotations, let patch = RestorePatch(new: object.annotations, old: oldAnnotations) else {
            return (AdmissionDecision(), [])
        }
        return (AdmissionDecision(warnings: [patch.warning], patch: patch.json), [])
    case .validate:
        let job = JobSubject(name: object.name ?? request.oldObject?.name,
                             namespace: object.namespace ?? request.namespace ?? "default",
                             annotations: object.annotations ?? [:])
        let findings = reviewJob(job, oldAnnotations: oldAnnotations, mayWriteControllerKeys: mayWrite, triggerChecks: triggerChecks)
        guard findings.problems.isEmpty else {
            var decision = AdmissionDecision.denied(findings.forbidden.isEmpty ? 422 : 403,
                                                    AnnotationProblems(findings.problems).description)
            decision.warnings = findings.warnings
            return (decision, [])
        }
        return (AdmissionDecision(warnings: findings.warnings), findings.newTriggers)
    }
}

/// Whether an object is a NotebookValidationJob of the `mlops.mlops.dev` group.
func isNotebookValidationJob(_ object: ObjectSummary) -> Bool {
    object.kind == "NotebookValidationJob" && object.apiVersion.hasPrefix("mlops.mlops.dev/")
}
