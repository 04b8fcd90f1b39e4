/// The `mlops.dev/block-wave` and `argocd.argoproj.io/sync-wave` rules (SPEC §1.2).
enum WaveRules {
    /// Problems with the wave annotations of one job.
    static func problems(in annotations: [String: String]) -> [AnnotationProblem] {
        var problems: [AnnotationProblem] = []
        var ownWave: Int32? = 0
        if let text = annotations[AnnotationKeys.syncWave] {
            ownWave = parseInt32(text, allowPlus: true)
            if ownWave == nil { problems.append(invalid(AnnotationKeys.syncWave, text)) }
        }
        guard let text = annotations[AnnotationKeys.blockWave] else { return problems }
        guard let blockWave = parseInt32(text, allowPlus: false) else {
            return problems + [invalid(AnnotationKeys.blockWave, text)]
        }
        if let ownWave, blockWave <= ownWave {
            problems.append(.invalid(
                AnnotationKeys.path(AnnotationKeys.blockWave), quoted(text),
                "must be greater than the job's own wave \(ownWave) (\(AnnotationKeys.syncWave))"))
        }
        return problems
    }

    /// A decimal int32: digits with an optional leading `-` (and `+` when `allowPlus`, as ArgoCD reads sync waves); no spaces.
    static func parseInt32(_ text: String, allowPlus: Bool) -> Int32? {
        var digits = Substring(text)
        if digits.first == "-" || (allowPlus && digits.first == "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int32(text)
    }

    private static func invalid(_ key: String, _ text: String) -> AnnotationProblem {
        .invalid(AnnotationKeys.path(key), quoted(text), "want a decimal int32")
    }
}
