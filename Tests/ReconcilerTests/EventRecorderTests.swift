import Foundation
import Kube
import Reconciler
import Locking
import Testing

/// Events are de-duplicated as client-go's recorder does: the same job, reason and message again is a merge patch of
/// `count` and `lastTimestamp` on the Event already written (fixture 63), and a new Event when that one is gone.
@Suite struct EventRecorderTests {
    /// Answers 201 to a create and 200 to a patch, or what is queued for a method; records every request.
    final class Recording: APITransport {
        let sent = Locked<[APIRequest]>([])
        let patchAnswers = Locked<[Int]>([])

        func send(_ request: APIRequest) async throws -> APIResponse {
            sent.withLock { $0.append(request) }
            if request.method == "PATCH" {
                return APIResponse(status: patchAnswers.withLock { $0.isEmpty ? 200 : $0.removeFirst() }, body: Array("{}".utf8))
            }
            return APIResponse(status: 201, body: request.body ?? [])
        }
    }

    static let job = Job(metadata: .init(name: "train", namespace: "ml", uid: "u-1"), status: nil)

    @Test func aRepeatCountsOnTheSameEventAndADifferentMessageIsANewOne() async throws {
        let api = Recording()
        let recorder = EventRecorder(api: api, instance: "pod-a")
        for message in ["restart apps/v1 Deployment ml/web: done", "restart apps/v1 Deployment ml/web: done", "other", "restart apps/v1 Deployment ml/web: done"] {
            #expect(try await recorder.record(Self.job, .TriggerSucceeded, message).isSuccess)
        }
        let sent = api.sent.withLock { $0 }
        #expect(sent.map(\.method) == ["POST", "PATCH", "POST", "PATCH"])
        let created = try #require(sent.first.flatMap { $0.body }.flatMap { try? JSONValue(parsing: $0) })
        let name = try #require(created["metadata", "name"]?.stringValue)
        #expect(sent[1].path == "/api/v1/namespaces/ml/events/\(name)" && sent[3].path == sent[1].path)
        #expect(sent[1].contentType == "application/merge-patch+json")
        let second = try JSONValue(parsing: sent[1].body ?? [])
        let third = try JSONValue(parsing: sent[3].body ?? [])
        #expect(second["count"]?.intValue == 2 && third["count"]?.intValue == 3)
        #expect(second["message"]?.stringValue == "restart apps/v1 Deployment ml/web: done" && second["lastTimestamp"]?.stringValue != nil)
        #expect(try await recorder.record(Self.job, .TriggerFailed, "restart apps/v1 Deployment ml/web: done").isSuccess)
        #expect(api.sent.withLock { $0.last?.method } == "POST", "another reason is another Event")
    }

    @Test func anEventThatIsGoneIsCreatedAgain() async throws {
        let api = Recording()
        let recorder = EventRecorder(api: api, instance: "pod-a")
        _ = try await recorder.record(Self.job, .WaveComplete, "wave 2 is complete")
        api.patchAnswers.withLock { $0 = [404] }
        _ = try await recorder.record(Self.job, .WaveComplete, "wave 2 is complete")
        _ = try await recorder.record(Self.job, .WaveComplete, "wave 2 is complete")
        let sent = api.sent.withLock { $0 }
        #expect(sent.map(\.method) == ["POST", "PATCH", "POST", "PATCH"])
        #expect(try JSONValue(parsing: sent[2].body ?? [])["count"]?.intValue == 1)
        #expect(try JSONValue(parsing: sent[3].body ?? [])["count"]?.intValue == 2)
        #expect(sent[3].path.hasSuffix(try #require(try JSONValue(parsing: sent[2].body ?? [])["metadata", "name"]?.stringValue)))
    }

    @Test func everyReasonHasItsType() {
        #expect(EventBody.Reason.allCases.map(\.rawValue) == ["TriggerSucceeded", "TriggerFailed", "WaveComplete", "WaveFailed", "WaveBlocked"])
        #expect(EventBody.Reason.allCases.map(\.type) == ["Normal", "Warning", "Normal", "Warning", "Warning"])
    }
}
