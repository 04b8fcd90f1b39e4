@testable import Admission
import Testing

@Suite struct TriggerCheckMemoTests {
    private let owner = TriggerOwner(namespace: "ml-platform", name: "train")

    /// A valid one-item list targeting Deployment `name`, in the job's own namespace.
    private func list(_ name: String) -> String {
        "- {apiVersion: apps/v1, kind: Deployment, name: \(name), action: restart}"
    }

    @Test func remembersTheAnswersAParseGives() {
        let memo = TriggerCheckMemo()
        let values = [
            list("web"),
            "- {apiVersion: apps/v1, kind: Deployment, name: Web, action: reboot}\n- 3",
            "",
            "[]",
            "- {apiVersion: apps/v1, kind: Deployment, name: web, action: restart}\n"
                + "- {apiVersion: apps/v1, kind: Deployment, name: web, action: restart}",
        ]
        for value in values {
            let fresh = Trigger.check(value, owner: owner).problems
            #expect(memo.check(value, owner: owner).problems == fresh, "first check of \(value)")
            #expect(memo.remembers(value, owner: owner))
            #expect(memo.check(value, owner: owner).problems == fresh, "remembered check of \(value)")
        }
        #expect(!Trigger.check(values[1], owner: owner).problems.isEmpty)
        #expect(Trigger.check(values[0], owner: owner).problems.isEmpty)
    }

    @Test func theJobIsPartOfWhatIsRemembered() {
        let memo = TriggerCheckMemo()
        let value = "- {apiVersion: mlops.mlops.dev/v1alpha1, kind: NotebookValidationJob, name: train, action: refresh}"
        let other = TriggerOwner(namespace: "ml-platform", name: "evaluate")
        #expect(memo.check(value, owner: other).problems.isEmpty)
        let own = memo.check(value, owner: owner).problems
        #expect(own.map(\.message) == ["Forbidden: targets the job itself; a job cannot trigger itself"])
        let placed = "- {apiVersion: mlops.mlops.dev/v1alpha1, kind: NotebookValidationJob, name: train, namespace: ml-platform, action: refresh}"
        #expect(memo.check(placed, owner: TriggerOwner(namespace: "elsewhere", name: "train")).problems.isEmpty)
        #expect(memo.check(placed, owner: owner).problems.map(\.message) == own.map(\.message))
    }

    @Test func keepsAtMostItsCapacityAndTheMostRecentHalf() {
        let memo = TriggerCheckMemo(capacity: 8)
        let values = (0..<100).map { list("app-\($0)") }
        for value in values { _ = memo.check(value, owner: owner).problems }
        let kept = values.filter { memo.remembers($0, owner: owner) }
        #expect(kept.count <= 8)
        #expect(Set(values.suffix(4)).isSubset(of: Set(kept)))
        #expect(!memo.remembers(values[0], owner: owner))
    }

    @Test func aValueCheckedAgainStaysWhileOthersArrive() {
        let memo = TriggerCheckMemo(capacity: 8)
        let kept = list("kept")
        _ = memo.check(kept, owner: owner).problems
        for round in 0..<20 {
            for other in 0..<3 { _ = memo.check(list("app-\(round)-\(other)"), owner: owner) }
            _ = memo.check(kept, owner: owner).problems
            #expect(memo.remembers(kept, owner: owner), "round \(round)")
        }
    }

    @Test func oversizedValuesAreJudgedButNotKept() {
        let memo = TriggerCheckMemo()
        let value = list(String(repeating: "a", count: Trigger.maxAnnotationBytes))
        let problems = memo.check(value, owner: owner).problems
        #expect(problems == Trigger.check(value, owner: owner).problems)
        #expect(problems.first?.message.contains("at most 8192 bytes") == true)
        #expect(!memo.remembers(value, owner: owner))
    }

    @Test(arguments: AdmissionFixture.all)
    func reviewsWithTheMemoAnswerAsWithout(_ fixture: AdmissionFixture) {
        let memo = TriggerCheckMemo()
        let want = reviewAdmission(body: fixture.body, webhook: fixture.webhook, policy: testPolicy)
        for _ in 0..<2 {
            #expect(reviewAdmission(body: fixture.body, webhook: fixture.webhook, policy: testPolicy, triggerChecks: memo) == want)
        }
    }
}
