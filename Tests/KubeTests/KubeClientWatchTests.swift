import Kube
import Testing
import TestSupport

/// List, get and watch against the fake API server: framing across chunks, bookmarks, 410, dropped connections.
@Suite(.tags(.integration))
struct KubeClientWatchTests {
    @Test func listThenWatchAcrossChunkBoundaries() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let kube = try fake.client()
        for name in ["a", "b", "c"] { try await fake.setObject(FakeAPIServer.job(name)) }
        let list = try await kube.list(.notebookValidationJobs)
        #expect(list.items.compactMap { $0["metadata", "name"]?.stringValue } == ["a", "b", "c"])
        #expect(list.items.allSatisfy { $0["metadata", "annotations", "pad"]?.stringValue?.count == 3000 })

        let stream = try await kube.watch(.notebookValidationJobs, resourceVersion: list.resourceVersion, timeoutSeconds: 5)
        try await kube.mergePatch(.notebookValidationJobs, namespace: "ml", name: "b", subresource: "status",
                                  patch: ["status": ["phase": "Succeeded"]])
        try await fake.setObject(FakeAPIServer.job("d", padding: 5000))
        var events: [WatchEvent] = []
        // A bookmark may come first on a slow machine (the fake sends them before `timeoutSeconds` runs out).
        for try await event in stream where event.type != .bookmark {
            events.append(event)
            if events.count == 2 { break }
        }
        #expect(events.map(\.type) == [.modified, .added])
        #expect(events[0].object["status", "phase"] == "Succeeded")
        #expect(events[1].object["metadata", "annotations", "pad"]?.stringValue?.count == 5000)

        // From "" the server replays every object as ADDED, batched: events span chunks.
        var added: [String] = []
        for try await event in try await kube.watch(.notebookValidationJobs, namespace: "ml", timeoutSeconds: 5)
        where event.type != .bookmark {
            added.append(event.object["metadata", "name"]?.stringValue ?? "")
            if added.count == 4 { break }
        }
        #expect(added == ["a", "b", "c", "d"])
    }

    @Test func bookmarksAndACleanEndKeepTheConnection() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        try await fake.configure(#"{"bookmark_interval": 0.3}"#)
        let kube = try fake.client()
        let list = try await kube.list(.notebookValidationJobs)
        var bookmarks: [String?] = []
        for try await event in try await kube.watch(.notebookValidationJobs, resourceVersion: list.resourceVersion, timeoutSeconds: 1) {
            #expect(event.type == .bookmark)
            #expect(event.object["metadata", "name"] == nil)
            bookmarks.append(event.resourceVersion)
        }
        #expect(!bookmarks.isEmpty && bookmarks.allSatisfy { $0 == list.resourceVersion })
        _ = try await kube.list(.notebookValidationJobs)
        let peers = try await fake.requests().map(\.peer)
        #expect(peers.count == 3 && Set(peers).count == 1)
    }

    @Test func tooOldResourceVersionIsGone() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let kube = try fake.client()
        try await fake.setObject(FakeAPIServer.job("a"))
        let list = try await kube.list(.notebookValidationJobs)
        try await fake.setObject(FakeAPIServer.job("b"))
        try await fake.compact()
        let error = try await #require(throws: KubeError.self) {
            for try await _ in try await kube.watch(.notebookValidationJobs, resourceVersion: list.resourceVersion, timeoutSeconds: 5) {}
        }
        #expect(error.kind == .gone && error.isTemporary)
        #expect(error.detail.hasPrefix("too old resource version: \(list.resourceVersion)"))

        try await fake.injectFault(FakeFault(method: "GET", path: "notebookvalidationjobs$", expireWatch: true))
        await #expect(throws: KubeError.self) {
            for try await _ in try await kube.watch(.notebookValidationJobs, resourceVersion: "0", timeoutSeconds: 5) {}
        }
    }

    @Test func connectionDroppedMidWatch() async throws {
        let fake = try await FakeAPIServer.start()
        defer { Task { await fake.stop() } }
        let kube = try fake.client()
        for name in ["a", "b", "c"] { try await fake.setObject(FakeAPIServer.job(name)) }
        try await fake.injectFault(FakeFault(method: "GET", path: "notebookvalidationjobs$", dropWatchAfter: 1))
        var names: [String] = []
        let error = try await #require(throws: KubeError.self) {
            for try await event in try await kube.watch(.notebookValidationJobs, timeoutSeconds: 5) {
                names.append(event.object["metadata", "name"]?.stringValue ?? "")
            }
        }
        #expect(names == ["a"])
        #expect(error.kind == .transport && error.isTemporary)
        // The client recovers on a new connection.
        #expect(try await kube.list(.notebookValidationJobs).items.count == 3)
    }
}
