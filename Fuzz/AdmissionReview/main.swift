// Fuzzes the AdmissionReview decoder and everything a review runs (trigger and wave rules included), on all three
// webhook paths (the input's length picks one). Invariants: the answer is always strict JSON, an
// `admission.k8s.io/v1` AdmissionReview whose response has a boolean `allowed` and echoes the request's uid when the
// request has one, and a repeated call gives the same answer.
import Admission
import FuzzSupport
import Kube

let policy = AdmissionPolicy(
    controllerUsername: "system:serviceaccount:triggergate:triggergate", allowedWriters: ["system:serviceaccount:argocd:argocd-application-controller"])

fuzzMain { bytes in
    do {
        let webhook = [Webhook.validate, .mutate, .gate][bytes.count % 3]
        let answer = reviewAdmission(body: bytes, webhook: webhook, policy: policy)
        guard StrictJSON.accepts(answer, maxDepth: 64), let review = try? JSONValue(parsing: answer) else {
            fuzzFail("the \(webhook) answer is not JSON: \(String(decoding: answer, as: UTF8.self))")
        }
        guard review["apiVersion"]?.stringValue == "admission.k8s.io/v1", review["kind"]?.stringValue == "AdmissionReview",
            case .bool = review["response", "allowed"], let uid = review["response", "uid"]?.stringValue
        else {
            fuzzFail("the \(webhook) answer is not an AdmissionReview response: \(review)")
        }
        if let sent = (try? JSONValue(parsing: bytes))?["request", "uid"]?.stringValue, sent != uid {
            fuzzFail("the \(webhook) answer's uid \(uid) is not the request's \(sent)")
        }
        if reviewAdmission(body: bytes, webhook: webhook, policy: policy) != answer {
            fuzzFail("the \(webhook) answer differs on a repeated call")
        }
    }
}
