import Kube
import Logging
import Reconciler
import Locking
import Testing

/// The Applications' notebook status (SPEC §7): the pure decision over an Application's jobs, the way jobs name their
/// Application, and the publisher's coalescing against an in-memory API.
@Suite struct NotebookStatusTests {
    static func job(
        _ name: String, namespace: String = "ml-platform", phase: String?, cell: Job.FailedCell? = nil, message: String? = nil,
        labels: [String: String]? = nil, annotations: [String: String]? = nil
    ) -> Job {
        var metadata = Job.Metadata(name: name, namespace: namespace, annotations: annotations)
        metadata.labels = labels
        return Job(metadata: metadata, status: phase.map { Job.Status(phase: $0, message: message, failedCell: cell) })
    }

    @Test func failedWinsOverRunningAndTheSummaryNamesTheFirstFailingCell() throws {
        let status = try #require(NotebookStatus(jobs: [
            Self.job("prep", phase: "Succeeded"), Self.job("eval", phase: "Succeeded"), Self.job("serve-check", phase: "Succeeded"),
            Self.job("model-training", phase: "Failed", cell: .init(index: 4, errorMessage: "KeyError: 'x'\nTraceback (most recent call last):")),
        ]))
        #expect(status.state == .Failed)
        #expect(status.summary == "3/4 succeeded, 1 failed: ml-platform/model-training (cell 4: KeyError: 'x')")
    }

    @Test func runningUntilEveryJobFinishesThenSucceeded() throws {
        let running = try #require(NotebookStatus(jobs: [Self.job("a", phase: "Succeeded"), Self.job("b", phase: nil), Self.job("c", phase: "ValidationRunning")]))
        #expect(running.state == .Running)
        #expect(running.summary == "1/3 succeeded, 2 running")
        let done = try #require(NotebookStatus(jobs: [Self.job("a", phase: "Succeeded"), Self.job("b", phase: "Succeeded")]))
        #expect(done.state == .Succeeded)
        #expect(done.summary == "2/2 succeeded")
        #expect(NotebookStatus(jobs: []) == nil)
    }

    @Test func aFailureWithoutCellResultsUsesTheMessageAndLongListsStayWithin256Characters() throws {
        let one = try #require(NotebookStatus(jobs: [Self.job("x", phase: "Failed", message: "  image build failed\nsee the build pod")]))
        #expect(one.summary == "0/1 succeeded, 1 failed: ml-platform/x (image build failed)")
        let many = (0..<40).map { Self.job("job-\($0)", phase: "Failed", cell: .init(index: $0, errorMessage: String(repeating: "E", count: 200))) }
        let status = try #require(NotebookStatus(jobs: many))
        #expect(status.summary.count <= NotebookStatus.summaryLimit, "\(status.summary.count)")
        #expect(status.summary.hasPrefix("0/40 succeeded, 40 failed: ml-platform/job-0 (cell 0: EEE"), "\(status.summary)")
        #expect(status.summary.hasSuffix("more"), "\(status.summary)")
    }

    @Test func theFailedTriggersOfCurrentRunsAreListed() throws {
        let status = #"{"run":"2026-11-29T06:10:00Z","triggers":[{"target":"apps/v1/Deployment/ml/web","action":"restart","state":"Failed","attempts":1,"message":"forbidden"},{"target":"argoproj.io/v1alpha1/Application/argocd/app","action":"sync","state":"Succeeded","attempts":1}]}"#
        let failing = Self.job("train", namespace: "ml", phase: "Succeeded", annotations: ["mlops.dev/trigger-status": status])
        let invalid = Self.job("eval", namespace: "ml", phase: "Succeeded", annotations: [
            "mlops.dev/trigger-status": #"{"run":"r","message":"line 1: action: unsupported value","triggers":[]}"#,
        ])
        let notebooks = try #require(NotebookStatus(jobs: [failing, invalid, Self.job("prep", phase: "Succeeded")]))
        #expect(notebooks.state == .Succeeded)
        #expect(notebooks.triggerFailures == "ml/eval: mlops.dev/on-success-trigger is invalid, ml/train: restart apps/v1/Deployment/ml/web")
        let rerun = Self.job("train", namespace: "ml", phase: "ValidationRunning", annotations: ["mlops.dev/trigger-status": status])
        #expect(NotebookStatus(jobs: [rerun])?.triggerFailures == nil, "a job that runs again has no current run")
    }

    @Test func theApplicationComesFromTheTrackingIDOrTheInstanceLabelInEitherNamespaceForm() {
        let tracked = Self.job("a", phase: nil, labels: ["app.kubernetes.io/instance": "other"], annotations: [
            "argocd.argoproj.io/tracking-id": "ml-platform-app:mlops.mlops.dev/NotebookValidationJob:ml-platform/a",
        ])
        #expect(ApplicationRef(job: tracked, defaultNamespace: "argocd") == ApplicationRef(namespace: "argocd", name: "ml-platform-app"))
        let anyNamespace = Self.job("a", phase: nil, annotations: ["argocd.argoproj.io/tracking-id": "team-apps_trainer:mlops.mlops.dev/NotebookValidationJob:ml/a"])
        #expect(ApplicationRef(job: anyNamespace, defaultNamespace: "argocd") == ApplicationRef(namespace: "team-apps", name: "trainer"))
        let labelled = Self.job("a", phase: nil, labels: ["app.kubernetes.io/instance": "trainer"])
        #expect(ApplicationRef(job: labelled, defaultNamespace: "gitops") == ApplicationRef(namespace: "gitops", name: "trainer"))
        let labelledElsewhere = Self.job("a", phase: nil, labels: ["app.kubernetes.io/instance": "team-apps_trainer"])
        #expect(ApplicationRef(job: labelledElsewhere, defaultNamespace: "argocd") == ApplicationRef(namespace: "team-apps", name: "trainer"))
        #expect(ApplicationRef(job: Self.job("a", phase: nil), defaultNamespace: "argocd") == nil)
        #expect(ApplicationRef(job: Self.job("a", phase: nil, labels: ["app.kubernetes.io/instance": "_x"]), defaultNamespace: "argocd") == nil)
    }

    @Test func aBurstOfChangesIsOnePatchAndTheLastJobGoneRemovesTheKeys() async throws {
        let api = MemoryCluster()
        let path = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/app"
        api.put(path, ["apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": ["name": "app", "namespace": "argocd"]])
        let jobs = Locked<[String: Job]>([:])
        let publisher = ApplicationStatusPublisher(
            api: api, jobs: { key in jobs.withLock { $0[key] } }, settings: .init(interval: .milliseconds(300)), logger: Logger(label: "test"))
        publisher.leadershipGained()
        let task = Task { await publisher.run { true } }
        defer { task.cancel() }
        let labels = ["app.kubernetes.io/instance": "app"]
        func set(_ phase: String) {
            let job = Self.job("train", phase: phase, labels: labels)
            jobs.withLock { $0[job.key] = job }
            publisher.jobChanged(job.key)
        }
        func annotations() -> [String: String] { (api.object(path)?["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:] }
        func patches() -> Int { api.writes.count }
        set("Pending")
        try await until { annotations()["mlops.dev/notebook-status"] == "Running" }
        for phase in ["Building", "BuildComplete", "ValidationRunning", "Failed"] { set(phase) }
        try await until { annotations()["mlops.dev/notebook-status"] == "Failed" }
        try await Task.sleep(for: .milliseconds(400))
        #expect(patches() == 2, "\(api.writes)")
        set("Failed")
        try await Task.sleep(for: .milliseconds(400))
        #expect(patches() == 2, "an unchanged status is not written again: \(api.writes)")

        jobs.withLock { $0["ml-platform/train"] = nil }
        publisher.jobChanged("ml-platform/train")
        try await until { annotations().isEmpty }
        #expect(api.writes.last?.description.contains(#""mlops.dev/notebook-status":null"#) == true, "\(api.writes)")
    }

    @Test func aMissingApplicationIsNotAskedAgainUntilItsJobsChange() async throws {
        let api = MemoryCluster()
        let job = Self.job("train", phase: "Failed", labels: ["app.kubernetes.io/instance": "gone"])
        let publisher = ApplicationStatusPublisher(
            api: api, jobs: { $0 == job.key ? job : nil }, settings: .init(interval: .milliseconds(50), retryDelay: .milliseconds(50)),
            logger: Logger(label: "test"))
        publisher.leadershipGained()
        let task = Task { await publisher.run { true } }
        defer { task.cancel() }
        publisher.jobChanged(job.key)
        try await until { api.writes.count == 1 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(api.writes.count == 1, "\(api.writes)")
    }

    @Test func onlyALeaderWritesAndANewLeaderWritesOnce() async throws {
        let api = MemoryCluster()
        let path = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/app"
        api.put(path, ["apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": ["name": "app", "namespace": "argocd"]])
        let job = Self.job("train", phase: "Succeeded", labels: ["app.kubernetes.io/instance": "app"])
        let publisher = ApplicationStatusPublisher(
            api: api, jobs: { $0 == job.key ? job : nil }, settings: .init(interval: .milliseconds(20)), logger: Logger(label: "test"))
        let task = Task { await publisher.run { true } }
        defer { task.cancel() }
        publisher.jobChanged(job.key)
        try await Task.sleep(for: .milliseconds(200))
        #expect(api.writes.isEmpty, "not leading yet: \(api.writes)")
        publisher.leadershipGained()
        try await until { api.writes.count == 1 }
        publisher.leadershipLost()
        publisher.leadershipGained()
        try await until { api.writes.count == 2 }
        try await Task.sleep(for: .milliseconds(200))
        #expect(api.writes.count == 2, "one write per leadership: \(api.writes)")
    }

    /// Waits until `condition` holds, for at most 5 s.
    func until(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw HarnessTimeout(what: "a condition") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
