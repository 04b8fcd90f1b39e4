import Foundation
import Kube
import Reconciler
import TestSupport
import Testing

/// The reconciler service against the fake API server: watch, leader election, workers, and the requests a real API
/// server would see.
@Suite(.tags(.integration), .serialized) struct TriggerServiceTests {
    static let jobs = "/apis/mlops.mlops.dev/v1alpha1/namespaces/ml/notebookvalidationjobs"

    /// Runs `service` while `body` runs, then stops it as a shutdown would.
    func running(_ service: TriggerService, _ body: () async throws -> Void) async throws {
        let task = Task { try await service.run() }
        defer { task.cancel() }
        try await body()
        task.cancel()
        _ = try? await task.value
    }

    @Test func aJobThroughItsPhasesFiresEachTriggerOnceWithTheExactRequests() async throws {
        let cluster = try await ClusterHarness.start()
        try await cluster.fake.setObject(ClusterHarness.job("train", phase: "Pending"))
        let service = cluster.service(identity: "a")
        try await running(service) {
            try await cluster.eventually("a leader is elected") { service.elector.isLeader && service.cache.isSynced }
            try await cluster.setPhase("train", "ValidationRunning")
            try await cluster.setPhase("train", "Succeeded", completionTime: "2026-11-29T06:00:00Z")
            try await cluster.eventually("every trigger finished") { try await cluster.status("train")?.isFinished == true }

            let status = try #require(try await cluster.status("train"))
            #expect(status.run == "2026-11-29T06:00:00Z")
            #expect(status.triggers.allSatisfy { $0.state == .Succeeded && $0.attempts == 1 }, "\(status.annotation)")
            let at = try #require(status.triggers[0].at)
            let refreshedAt = try #require(status.triggers[4].at)
            let annotations = try await cluster.annotations("train")
            #expect(annotations["mlops.dev/wave-complete"] == "2")
            #expect(annotations["mlops.dev/completion-time"] == "2026-11-29T06:00:00Z")
            #expect(annotations["mlops.dev/completion-generation"] == "1")

            let seen = try await cluster.fake.requests()
            let actions = seen.filter { $0.verb != "get" && $0.verb != "list" && $0.verb != "watch" && !($0.resource ?? "").hasPrefix("notebookvalidationjobs") && $0.resource != "events" && $0.resource != "leases" }
            let appRV = try #require(actions.first { $0.path.hasSuffix("/applications/ml-app") }.flatMap { try? JSONValue(parsing: Array($0.body.utf8))["metadata", "resourceVersion"]?.stringValue })
            let expected: [(String, String, String, String)] = [
                ("PATCH", "/apis/apps/v1/namespaces/ml/deployments/web", "application/merge-patch+json",
                 #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"\#(at)"}}}}}"#),
                ("POST", "/api/v1/namespaces/ml/pods/model-a/eviction", "application/json",
                 #"{"apiVersion":"policy/v1beta1","kind":"Eviction","metadata":{"name":"model-a","namespace":"ml"}}"#),
                ("POST", "/api/v1/namespaces/ml/pods/model-b/eviction", "application/json",
                 #"{"apiVersion":"policy/v1beta1","kind":"Eviction","metadata":{"name":"model-b","namespace":"ml"}}"#),
                ("PATCH", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/ml-app", "application/merge-patch+json",
                 #"{"metadata":{"resourceVersion":"\#(appRV)"},"operation":{"initiatedBy":{"username":"triggergate"},"info":[{"name":"triggergate-run","value":"2026-11-29T06:00:00Z"}],"sync":{"syncStrategy":{"hook":{}}}}}"#),
                ("PATCH", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/ml-app", "application/merge-patch+json",
                 #"{"metadata":{"annotations":{"argocd.argoproj.io/refresh":"normal"}}}"#),
                ("PATCH", "/apis/serving.kserve.io/v1beta1/namespaces/ml/inferenceservices/model", "application/merge-patch+json",
                 #"{"metadata":{"annotations":{"mlops.dev/refreshed-at":"\#(refreshedAt)"}}}"#),
            ]
            let lines = actions.map { "\($0.method) \($0.path) \($0.contentType ?? "") \($0.body)" }
            let wanted = expected.map { "\($0.0) \($0.1) \($0.2) \($0.3)" }
            // Targets are worked on at once: the requests are these, and only those of one target keep their order.
            #expect(lines.sorted() == wanted.sorted())
            for target in ["/applications/ml-app", "/model"] {
                #expect(lines.filter { $0.contains(target) } == wanted.filter { $0.contains(target) }, "the requests to \(target) are out of order")
            }
            // Each Event is posted after its result is recorded, so the last one may still be on its way.
            try await cluster.eventually("an Event for each trigger") {
                try await cluster.fake.requests().filter { $0.resource == "events" && $0.verb == "create" }.count >= 6
            }
            let events = try await cluster.fake.requests().filter { $0.resource == "events" && $0.verb == "create" }
            #expect(events.count == 6 && events.filter { $0.body.contains(#""reason":"TriggerSucceeded""#) }.count == 5)
            #expect(events.contains { $0.body.contains(#""reason":"WaveComplete""#) })

            try await cluster.setPhase("train", "ValidationRunning")
            try await cluster.eventually("the wave annotations are removed") {
                let annotations = try await cluster.annotations("train")
                return annotations["mlops.dev/wave-complete"] == nil && annotations["mlops.dev/completion-time"] == nil
            }
        }
        await cluster.fake.stop()
    }

    @Test func aDroppedWatchAndAnExpiredOneMissNoTransition() async throws {
        let cluster = try await ClusterHarness.start()
        let trigger = "[{apiVersion: apps/v1, kind: Deployment, name: web, action: restart}]"
        for name in ["one", "two", "three"] {
            try await cluster.fake.setObject(ClusterHarness.job(name, phase: "Pending", triggers: trigger))
        }
        let service = cluster.service(identity: "a")
        try await running(service) {
            try await cluster.eventually("a leader is elected") { service.elector.isLeader && service.cache.isSynced }
            try await cluster.fake.injectFault(.init(method: "GET", path: "notebookvalidationjobs$", query: "watch", count: 1, dropWatchAfter: 1))
            try await cluster.setPhase("one", "Succeeded", completionTime: "2026-11-29T06:00:01Z")
            try await cluster.setPhase("two", "Failed")
            try await cluster.eventually("the first two finished") {
                let one = try await cluster.status("one")?.isFinished == true
                let two = try await cluster.annotations("two")["mlops.dev/wave-failed"] == "2"
                return one && two
            }
            try await cluster.fake.compact()
            try await cluster.fake.injectFault(.init(method: "GET", path: "notebookvalidationjobs$", query: "watch", count: 1, expireWatch: true))
            try await cluster.setPhase("three", "Succeeded", completionTime: "2026-11-29T06:00:03Z")
            try await cluster.eventually("the third finished") { try await cluster.status("three")?.isFinished == true }
        }
        let patches = try await cluster.fake.requests().filter { $0.method == "PATCH" && $0.path.hasSuffix("/deployments/web") }
        #expect(patches.count == 2)
        #expect(try await cluster.status("two") == nil)
        await cluster.fake.stop()
    }

    @Test func onlyTheLeaderActsAndTheOtherTakesOverWithoutDuplicates() async throws {
        let cluster = try await ClusterHarness.start()
        let trigger = "[{apiVersion: apps/v1, kind: Deployment, name: web, action: restart}]"
        try await cluster.fake.setObject(ClusterHarness.job("first", phase: "Pending", triggers: trigger))
        try await cluster.fake.setObject(ClusterHarness.job("second", phase: "Pending", triggers: trigger))
        let a = cluster.service(identity: "a")
        let b = cluster.service(identity: "b")
        let taskA = Task { try await a.run() }
        try await cluster.eventually("a leads") { a.elector.isLeader }
        try await running(b) {
            try await cluster.eventually("b has synced") { b.cache.isSynced }
            try await cluster.setPhase("first", "Succeeded", completionTime: "2026-11-29T06:00:01Z")
            try await cluster.eventually("the first job's trigger finished") { try await cluster.status("first")?.isFinished == true }
            #expect(!b.elector.isLeader)
            taskA.cancel()
            _ = try? await taskA.value
            try await cluster.eventually("b leads") { b.elector.isLeader }
            try await cluster.setPhase("second", "Succeeded", completionTime: "2026-11-29T06:00:02Z")
            try await cluster.eventually("the second job's trigger finished") { try await cluster.status("second")?.isFinished == true }
        }
        let patches = try await cluster.fake.requests().filter { $0.method == "PATCH" && $0.path.hasSuffix("/deployments/web") }
        #expect(patches.count == 2, "each job's restart once, by one leader")
        await cluster.fake.stop()
    }

    @Test func aThousandSimultaneousSuccessesEachFireOnceWithBoundedConcurrency() async throws {
        let cluster = try await ClusterHarness.start()
        let count = 1000
        func jobs(_ phase: String) -> String {
            "[" + (0..<count).map { index in
                var job = ClusterHarness.job("job-\(index)", phase: phase, triggers: "[{apiVersion: apps/v1, kind: Deployment, name: web-\(index), action: restart}]")
                if phase == "Succeeded" { job = job.replacingOccurrences(of: #""phase":"Succeeded""#, with: #""phase":"Succeeded","completionTime":"2026-11-29T06:00:00Z""#) }
                return job
            }.joined(separator: ",") + "]"
        }
        try await cluster.fake.setObjects("[" + (0..<count).map {
            #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web-\#($0)","namespace":"ml"},"spec":{"template":{"metadata":{}}}}"#
        }.joined(separator: ",") + "]")
        try await cluster.fake.setObjects(jobs("Pending"))
        let service = cluster.service(identity: "a", workers: 16)
        try await running(service) {
            try await cluster.eventually("a leader is elected") { service.elector.isLeader && service.cache.isSynced }
            let start = ContinuousClock.now
            try await cluster.fake.setObjects(jobs("Succeeded"))
            try await cluster.eventually("every job's trigger finished", timeout: .seconds(120)) {
                let list = try await cluster.client.list(.notebookValidationJobs, namespace: "ml")
                return list.items.allSatisfy { TriggerStatus(annotation: $0["metadata", "annotations"]?.stringMap["mlops.dev/trigger-status"])?.isFinished == true }
            }
            print("1000 simultaneous successes done in \(ContinuousClock.now - start)")
            #expect(await service.mostConcurrentJobs <= 16)
        }
        let patches = try await cluster.fake.requests().filter { $0.method == "PATCH" && $0.resource == "deployments" }
        #expect(patches.count == count)
        #expect(Set(patches.map(\.path)).count == count, "a Deployment was restarted twice")
        await cluster.fake.stop()
    }

    @Test func temporaryFaultsAreRetriedAndRecorded() async throws {
        let cluster = try await ClusterHarness.start()
        try await cluster.fake.setObject(ClusterHarness.job("train", phase: "Pending"))
        try await cluster.fake.injectFault(.init(method: "PATCH", path: "/deployments/web$", count: 1, status: 500))
        try await cluster.fake.injectFault(.init(method: "POST", path: "/pods/model-b/eviction$", count: 1, pdb: "violated"))
        try await cluster.fake.injectFault(.init(method: "PATCH", path: "/applications/ml-app$", count: 1, drop: true))
        let service = cluster.service(identity: "a")
        try await running(service) {
            try await cluster.eventually("a leader is elected") { service.elector.isLeader && service.cache.isSynced }
            let start = ContinuousClock.now
            try await cluster.setPhase("train", "Succeeded", completionTime: "2026-11-29T06:00:00Z")
            try await cluster.eventually("every trigger finished", timeout: .seconds(30)) { try await cluster.status("train")?.isFinished == true }
            // The three retries wait together, at least the shortest first backoff (half of 500 ms).
            #expect(ContinuousClock.now - start >= .milliseconds(250), "the retries did not wait for their backoff")
        }
        let status = try #require(try await cluster.status("train"))
        #expect(status.triggers.allSatisfy { $0.state == .Succeeded }, "\(status.annotation)")
        #expect(status.triggers.map(\.attempts) == [2, 2, 2, 1, 1], "\(status.annotation)")
        let evictions = try await cluster.fake.requests().filter { $0.method == "POST" && $0.path.hasSuffix("/eviction") }.map(\.path)
        #expect(evictions == ["model-a", "model-b", "model-b"].map { "/api/v1/namespaces/ml/pods/\($0)/eviction" })
        await cluster.fake.stop()
    }
}
