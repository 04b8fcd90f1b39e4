import Kube

/// One line of `triggergate doctor`: what was checked, how it came out, and what to do when it failed.
struct DoctorCheck: Sendable {
    /// How a check came out.
    enum Result: String, Sendable {
        /// As it should be.
        case ok
        /// Broken: the fix says what to do; doctor exits 1.
        case failed
        /// Not checked (optional, or not reachable from here); not a failure.
        case skipped

        /// ✓, ✗ or –.
        var symbol: String {
            switch self {
            case .ok: "✓"
            case .failed: "✗"
            case .skipped: "–"
            }
        }
    }

    /// The group of the check: `crd`, `rbac`, `webhook`, `lease`, `watch`, `argocd`.
    var area: String
    /// How it came out.
    var result: Result
    /// What was seen, as a sentence.
    var detail: String
    /// What to do, for a failed or skipped check.
    var fix: String = ""

    static func ok(_ area: String, _ detail: String) -> DoctorCheck { DoctorCheck(area: area, result: .ok, detail: detail) }

    static func failed(_ area: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(area: area, result: .failed, detail: detail, fix: fix)
    }

    static func skipped(_ area: String, _ detail: String, fix: String) -> DoctorCheck {
        DoctorCheck(area: area, result: .skipped, detail: detail, fix: fix)
    }

    /// `✓ webhook: ...`, or `✗ lease: ... — fix: ...` on one line.
    var line: String {
        "\(result.symbol) \(area): \(detail)" + (fix.isEmpty || result == .ok ? "" : " — fix: \(fix)")
    }

    /// The check as a JSON object for `--output json`.
    var json: JSONValue {
        .object([("area", .string(area)), ("result", .string(result.rawValue)), ("detail", .string(detail)), ("fix", .string(fix))])
    }
}
