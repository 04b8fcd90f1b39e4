// Fuzzes the AdmissionReview decoder and everything a review runs (trigger and wave rules included), on all three
// webhook paths (the input's length picks one). Invariants: the answer is always strict JSON, an
// `admission.k8s.io/v1` AdmissionReview whose response has a boolean `allowed` and echoes the request's uid when the
// request has one, and a repeated call gives the same answer.
import Admission
import FuzzSupport
import Kube

let policy = AdmissionPolicy(
    controllerUsername: "system:serviceaccount:triggergate:triggergate", allowedWriters: ["system:serviceaccount:argocd:argocd-application-controller"])

/// The value of the last member `key` of `object`: a repeated key counts the way the admission decoder and the API
/// server (Go's encoding/json) read it, where `JSONValue`'s subscript takes the first.
func last(_ key: String, in object: JSONValue?) -> JSONValue? {
    guard case .object(let members) = object else { return nil }
    return members.last { $0.0 == key }?.1
}

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
        if let sent = last("uid", in: last("request", in: try? JSONValue(parsing: bytes)))?.stringValue, sent != uid {
            fuzzFail("the \(webhook) answer's uid \(uid) is not the request's \(sent)")
        }
        if reviewAdmission(body: bytes, webhook: webhook, policy: policy) != answer {
            fuzzFail("the \(webhook) answer differs on a repeated call")
        }
    }
}
