import JSON

/// The outcome of one admission request, before it is written as an AdmissionReview response.
struct AdmissionDecision: Sendable, Equatable {
    var allowed = true
    /// `status.code` of a denial: 400, 403 or 422.
    var code: Int?
    /// `status.message` of a denial.
    var message: String?
    var warnings: [String] = []
    /// A JSON patch for `/mutate`.
    var patch: [UInt8]?

    /// A denial with `code` and the problems joined by `; `.
    static func denied(_ code: Int, _ message: String) -> AdmissionDecision {
        AdmissionDecision(allowed: false, code: code, message: message)
    }

    /// The `admission.k8s.io/v1` AdmissionReview response body echoing `uid`.
    func responseBody(uid: String) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + (message?.utf8.count ?? 0) + (patch?.count ?? 0) * 4 / 3)
        writer.raw(#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"#)
        writer.string(uid)
        writer.raw(allowed ? #","allowed":true"# : #","allowed":false"#)
        if let code {
            writer.raw(#","status":{"code":\#(code)"#)
            if let message {
                writer.raw(#","message":"#)
                writer.string(message)
            }
            writer.raw("}")
        }
        if let patch {
            writer.raw(#","patchType":"JSONPatch","patch":"#)
            writer.base64String(patch)
        }
        if !warnings.isEmpty {
            writer.raw(#","warnings":["#)
            for (index, warning) in warnings.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(warning)
            }
            writer.raw("]")
        }
        writer.raw("}}")
        return writer.bytes
    }
}
