/// What an Application's `mlops.dev/notebook-status` and `mlops.dev/notebook-summary` say about its jobs (SPEC §7):
/// a pure decision over the jobs, so that the same jobs always give the same annotations.
public struct NotebookStatus: Sendable, Hashable {
    /// The value of `mlops.dev/notebook-status`.
    public enum State: String, Sendable {
        /// At least one job failed.
        case Failed
        /// None failed, and at least one has not finished.
        case Running
        /// Every job succeeded.
        case Succeeded
    }

    /// The most characters a summary has.
    public static let summaryLimit = 256
    /// The most characters of one failed job's detail (its cell and first error line).
    static let detailLimit = 80

    /// The overall state.
    public var state: State
    /// One line, for example `3/4 succeeded, 1 failed: ml-platform/model-training (cell 4: KeyError: 'x')`.
    public var summary: String
    /// The triggers of the jobs' current runs that failed, as one line (`ml/train: restart apps/v1/Deployment/ml/web`),
    /// or `nil` when none did: `mlops.dev/notebook-trigger-failures`, for the `on-notebook-trigger-failed` notification.
    public var triggerFailures: String?

    /// The status of an Application's jobs, or `nil` when it has none (the annotations are then removed).
    public init?(jobs: [Job]) {
        guard !jobs.isEmpty else { return nil }
        let failed = jobs.filter { $0.phase == "Failed" }.sorted { $0.key < $1.key }
        let succeeded = jobs.count(where: { $0.phase == "Succeeded" })
        let running = jobs.count - failed.count - succeeded
        state = !failed.isEmpty ? .Failed : running > 0 ? .Running : .Succeeded
        let triggerFailures = jobs.sorted { $0.key < $1.key }.flatMap(Self.failedTriggers)
        self.triggerFailures = triggerFailures.isEmpty ? nil : Self.list(triggerFailures, after: "")
        var head = "\(succeeded)/\(jobs.count) succeeded"
        if running > 0 { head += ", \(running) running" }
        guard !failed.isEmpty else {
            summary = head
            return
        }
        head += ", \(failed.count) failed: "
        summary = Self.list(failed.map(Self.describe), after: head)
    }

    /// `namespace/name: action target` for each failed trigger of the job's current run, or one entry when its trigger
    /// annotation could not be read.
    static func failedTriggers(_ job: Job) -> [String] {
        guard job.phase == "Succeeded", let status = TriggerStatus(annotation: job.annotation(AnnotationKey.triggerStatus)) else { return [] }
        if status.triggers.isEmpty, status.message != nil { return ["\(job.key): \(AnnotationKey.onSuccessTrigger) is invalid"] }
        return status.triggers.filter { $0.state == .Failed }.map { "\(job.key): \($0.action.rawValue) \($0.target)" }
    }

    /// `namespace/name (cell N: first error line)`, or with the operator's message when no cell result failed.
    static func describe(_ job: Job) -> String {
        let detail: String?
        if let cell = job.status?.failedCell {
            detail = "cell \(cell.index)" + (firstLine(cell.errorMessage).map { ": " + $0 } ?? "")
        } else {
            detail = firstLine(job.status?.message)
        }
        return job.key + (detail.map { " (\(clip($0, to: detailLimit)))" } ?? "")
    }

    /// `head` and as many items as fit in ``summaryLimit``, then `and N more`.
    static func list(_ items: [String], after head: String) -> String {
        var text = head
        for (index, item) in items.enumerated() {
            let separator = index == 0 ? "" : ", "
            let left = items.count - index - 1
            let tail = left > 0 ? ", and \(left) more" : ""
            guard text.count + separator.count + item.count + tail.count <= summaryLimit else {
                let more = "and \(items.count - index) more"
                return clip(text + (index == 0 ? "" : ", ") + more, to: summaryLimit)
            }
            text += separator + item
        }
        return text
    }

    /// The first non-empty line of `text`, trimmed.
    static func firstLine(_ text: String?) -> String? {
        let line = text?.split(whereSeparator: \.isNewline).lazy
            .map { $0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed() }.first { !$0.isEmpty }
        return line.map { String($0) }
    }

    /// `text`, cut to `limit` characters with `…` when it is longer.
    static func clip(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
