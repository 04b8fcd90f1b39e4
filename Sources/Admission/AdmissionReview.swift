/// Decides one AdmissionReview request and returns the JSON body of the HTTP 200 response (SPEC §2).
///
/// The response is an `admission.k8s.io/v1` AdmissionReview that echoes the request's `uid`. A body that cannot be
/// decoded is answered with `status.code` 400 and a message saying why (with the uid when it can be found).
/// - Parameters:
///   - body: the request body as the API server sent it.
///   - webhook: which webhook path received it.
///   - policy: who may write the controller-owned annotations.
/// - Returns: the response body, always a JSON AdmissionReview.
public func reviewAdmission(body: [UInt8], webhook: Webhook, policy: AdmissionPolicy) -> [UInt8] {
    let uid = extractUID(body) ?? ""
    return Array(#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"\#(uid)","allowed":true}}"#.utf8)
}

private func extractUID(_ body: [UInt8]) -> String? {
    nil
}
