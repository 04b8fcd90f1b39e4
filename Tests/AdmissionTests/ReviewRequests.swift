import Admission
import Foundation

/// Builds AdmissionReview request bodies for NotebookValidationJobs, with Foundation's JSON encoder.
struct ReviewRequest {
    var operation = "CREATE"
    var username = "jane"
    var groups = ["system:authenticated"]
    var userUID: String?
    var extra: [String: [String]] = [:]
    var subResource: String?
    var dryRun = false
    var name: String? = "model-training"
    var namespace = "ml-platform"
    var kind = "NotebookValidationJob"
    var apiVersion = "mlops.mlops.dev/v1alpha1"
    /// `nil` leaves the annotations map out.
    var annotations: [String: String]? = [:]
    /// The stored object's annotations on UPDATE; `nil` makes `oldObject` null.
    var oldAnnotations: [String: String]?
    var uid = "0f6a2c1e-5b1d-4c1e-9a6e-2f1b7c3d9e01"

    func object(_ annotations: [String: String]?) -> [String: Any] {
        var metadata: [String: Any] = ["namespace": namespace, "uid": "6d1c", "generation": 1]
        if let name { metadata["name"] = name }
        if let annotations { metadata["annotations"] = annotations }
        return ["apiVersion": apiVersion, "kind": kind, "metadata": metadata, "spec": ["notebook": ["path": "x.ipynb"]]]
    }

    var body: [UInt8] {
        var request: [String: Any] = [
            "uid": uid, "operation": operation, "namespace": namespace, "dryRun": dryRun,
            "kind": ["group": "mlops.mlops.dev", "version": "v1alpha1", "kind": kind],
            "userInfo": userInfo,
            "object": operation == "DELETE" ? NSNull() : object(annotations),
            "oldObject": oldAnnotations.map { object($0) } ?? NSNull(),
        ]
        if let subResource { request["subResource"] = subResource }
        let review: [String: Any] = ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request]
        return [UInt8](try! JSONSerialization.data(withJSONObject: review, options: [.sortedKeys]))
    }

    var userInfo: [String: Any] {
        var info: [String: Any] = ["username": username, "groups": groups]
        if let userUID { info["uid"] = userUID }
        if !extra.isEmpty { info["extra"] = extra }
        return info
    }

    /// The decoded response of `reviewer` to this request.
    func review(by reviewer: AdmissionReviewer, _ webhook: Webhook = .validate) async throws -> ReviewResponse.Response {
        try ReviewResponse(await reviewer.review(body: body, webhook: webhook)).response
    }

    /// The decoded response of `webhook` to this request.
    func review(_ webhook: Webhook = .validate, policy: AdmissionPolicy = testPolicy) throws -> ReviewResponse.Response {
        try ReviewResponse(reviewAdmission(body: body, webhook: webhook, policy: policy)).response
    }
}
