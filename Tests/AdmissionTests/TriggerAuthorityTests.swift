import Admission
import Testing

/// Requester authority and cross-namespace consent at `/validate` (SPEC §4), and the visibility warnings of §2,
/// decided over a stub cluster.
struct TriggerAuthorityTests {
    static let deployment = "- {apiVersion: apps/v1, kind: Deployment, name: serve, action: restart}"
    static let patchServe = AccessCheck(verb: "patch", group: "apps", resource: "deployments", namespace: "ml-platform", name: "serve")
    static let path = "metadata.annotations[mlops.dev/on-success-trigger]"

    func reviewer(_ cluster: StubCluster, deadline: Duration = .seconds(2)) -> AdmissionReviewer {
        AdmissionReviewer(policy: testPolicy, cluster: cluster, answers: ClusterAnswers(deadline: deadline))
    }

    func request(_ triggers: String, user: String = "alice") -> ReviewRequest {
        ReviewRequest(username: user, annotations: ["mlops.dev/on-success-trigger": triggers])
    }

    @Test func aUserWhoMayPatchTheTargetIsAdmittedAndTheReviewCarriesTheWholeUser() async throws {
        let cluster = StubCluster(reviews: .grants([Self.patchServe]), existing: ["ml-platform/serve"])
        var request = request(Self.deployment)
        request.groups = ["developers", "system:authenticated"]
        request.userUID = "u-1"
        request.extra = ["authentication.kubernetes.io/pod-name": ["none"]]
        let response = try await request.review(by: reviewer(cluster))
        #expect(response.allowed)
        #expect(response.warnings == nil)
        let user = UserInfo(username: "alice", uid: "u-1", groups: ["developers", "system:authenticated"],
                            extra: ["authentication.kubernetes.io/pod-name": ["none"]])
        #expect(cluster.asked == [StubCluster.Asked(check: Self.patchServe, user: user)])
    }

    @Test func aUserWhoMayNotIsDeniedWithEveryMissingRightNamed() async throws {
        let triggers = """
            - {apiVersion: apps/v1, kind: Deployment, name: serve, action: restart}
            - {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: model, action: restart}
            - {apiVersion: argoproj.io/v1alpha1, kind: Application, name: serving, action: sync}
            """
        let response = try await request(triggers).review(by: reviewer(StubCluster(reviews: .grants([Self.patchServe]))))
        #expect(!response.allowed)
        #expect(response.status?.code == 403)
        #expect(response.status?.message == """
            \(Self.path)[1]: Forbidden: user "alice" cannot create pods/eviction in namespace "ml-platform"; \
            \(Self.path)[2]: Forbidden: user "alice" cannot patch applications.argoproj.io "serving" in namespace "ml-platform"
            """)
    }

    @Test func anUnchangedTriggerIsNotReviewedAndANewOneIsReviewedAtItsPlace() async throws {
        let old = "- {apiVersion: apps/v1, kind: Deployment, name: serve, action: restart}"
        let new = old + "\n- {apiVersion: apps/v1, kind: StatefulSet, name: db, action: restart}"
        let cluster = StubCluster()
        var unchanged = request(old)
        unchanged.operation = "UPDATE"
        unchanged.oldAnnotations = ["mlops.dev/on-success-trigger": old, "mlops.dev/block-wave": "3"]
        #expect(try await unchanged.review(by: reviewer(cluster)).allowed)
        #expect(cluster.asked.isEmpty)

        var added = request(new)
        added.operation = "UPDATE"
        added.oldAnnotations = ["mlops.dev/on-success-trigger": old]
        let response = try await added.review(by: reviewer(cluster))
        #expect(response.status?.message == #"\#(Self.path)[1]: Forbidden: user "alice" cannot patch statefulsets.apps "db" in namespace "ml-platform""#)
        #expect(cluster.asked.map(\.check.resource) == ["statefulsets"])
    }

    @Test func whenTheAPIServerCannotAnswerTheRequestIsDeniedAndSaysSo() async throws {
        let response = try await request(Self.deployment).review(by: reviewer(StubCluster(reviews: .unreachable)))
        #expect(response.status?.code == 403)
        #expect(response.status?.message == """
            \(Self.path)[0]: Forbidden: cannot check that user "alice" may patch deployments.apps "serve" in namespace "ml-platform": \
            connection refused; denied, since the check fails closed (try again)
            """)
    }

    @Test func aReviewThatDoesNotAnswerInTimeIsDeniedAtTheDeadline() async throws {
        let started = ContinuousClock.now
        let response = try await request(Self.deployment).review(by: reviewer(StubCluster(reviews: .slow(.seconds(30))), deadline: .milliseconds(200)))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(response.status?.code == 403)
        #expect(response.status?.message?.contains("no answer from the API server within") == true)
    }

    @Test func anAnswerIsKeptSoTwoIdenticalRequestsCostOneReview() async throws {
        let cluster = StubCluster(reviews: .grants([Self.patchServe]), existing: ["ml-platform/serve"])
        let shared = reviewer(cluster)
        #expect(try await request(Self.deployment).review(by: shared).allowed)
        var dryRun = request(Self.deployment)
        dryRun.dryRun = true
        dryRun.uid = "second-call"
        #expect(try await dryRun.review(by: shared).allowed)
        #expect(cluster.asked.count == 1)
        #expect(cluster.gets.count == 1, "whether the target exists was asked again")
        _ = try await request(Self.deployment, user: "bob").review(by: shared)
        #expect(cluster.asked.count == 2, "another user shares no answer")
    }

    @Test func answersAreKeptOnlyForTheirLifetimeAndFailuresNotAtAll() async throws {
        let cluster = StubCluster(reviews: .unreachable)
        let answers = ClusterAnswers(lifetime: .milliseconds(50))
        let user = UserInfo(username: "a")
        for _ in 0..<2 { _ = await answers.answers([Self.patchServe], user: user, existence: [], view: cluster) }
        #expect(cluster.asked.count == 2, "a failure was kept")
        let granting = StubCluster(reviews: .grants([Self.patchServe]))
        _ = await answers.answers([Self.patchServe], user: user, existence: [], view: granting)
        try await Task.sleep(for: .milliseconds(80))
        #expect(await answers.answers([Self.patchServe], user: user, existence: [], view: granting).access == [.allowed])
        #expect(granting.asked.count == 2, "an expired answer was used")
    }

    @Test func triggergatesOwnIdentityIsNotReviewed() async throws {
        let cluster = StubCluster()
        #expect(try await request(Self.deployment, user: testPolicy.controllerUsername).review(by: reviewer(cluster)).allowed)
        #expect(cluster.asked.isEmpty)
    }

    @Test func withoutAClusterNothingIsReviewed() async throws {
        let response = try await request(Self.deployment).review(by: AdmissionReviewer(policy: testPolicy, cluster: nil))
        #expect(response.allowed)
    }

    @Test func aRequestThatBreaksARuleIsDeniedForThatWithoutAReview() async throws {
        let cluster = StubCluster()
        let response = try await request("- {apiVersion: apps/v1, kind: Deployment, name: serve, action: reboot}").review(by: reviewer(cluster))
        #expect(response.status?.code == 422)
        #expect(cluster.asked.isEmpty)
    }

    @Test(arguments: [("ml-platform", true), ("*", true), ("other, ml-platform", true), ("other", false), (nil, false)] as [(String?, Bool)])
    func aCrossNamespaceTriggerNeedsTheTargetNamespacesConsent(sources: String?, admitted: Bool) async throws {
        let trigger = "- {apiVersion: apps/v1, kind: Deployment, name: serve, namespace: serving, action: restart}"
        let grant = AccessCheck(verb: "patch", group: "apps", resource: "deployments", namespace: "serving", name: "serve")
        let cluster = StubCluster(reviews: .grants([grant]), namespaces: sources.map { ["serving": $0] } ?? [:])
        let response = try await request(trigger).review(by: reviewer(cluster))
        #expect(response.allowed == admitted)
        if !admitted {
            #expect(response.status?.code == 422)
            #expect(response.status?.message == """
                \(Self.path)[0]: Forbidden: namespace serving does not allow triggers from namespace ml-platform: \
                add ml-platform (or *) to its annotation mlops.dev/trigger-sources
                """)
        }
    }

    @Test func anUnsyncedNamespaceCacheAllowsWithAWarning() async throws {
        let trigger = "- {apiVersion: apps/v1, kind: Deployment, name: serve, namespace: serving, action: restart}"
        let grant = AccessCheck(verb: "patch", group: "apps", resource: "deployments", namespace: "serving", name: "serve")
        let response = try await request(trigger).review(by: reviewer(StubCluster(reviews: .grants([grant]), namespaces: nil)))
        #expect(response.allowed)
        #expect(response.warnings == [
            "mlops.dev/on-success-trigger[0]: consent of namespace serving not checked yet; checked again before the trigger runs",
        ])
    }

    @Test func aKindTheClusterDoesNotServeOrAMissingTargetWarnsAndDoesNotDeny() async throws {
        let triggers = """
            - {apiVersion: example.com/v1, kind: Widget, name: w, action: refresh}
            - {apiVersion: example.com/v1, kind: Gadget, name: g, action: refresh}
            - {apiVersion: apps/v1, kind: Deployment, name: serve, action: restart}
            """
        let granted: Set<AccessCheck> = [
            Self.patchServe, AccessCheck(verb: "patch", group: "example.com", resource: "widgets", namespace: "ml-platform", name: "w"),
            AccessCheck(verb: "patch", group: "example.com", resource: "gadgetz", namespace: "ml-platform", name: "g"),
        ]
        let cluster = StubCluster(reviews: .grants(granted), served: ["example.com/v1/Gadget": "gadgetz"], existing: ["ml-platform/g"])
        let response = try await request(triggers).review(by: reviewer(cluster))
        #expect(response.allowed, "\(response)")
        #expect(response.warnings == [
            "mlops.dev/on-success-trigger[0]: example.com/v1 Widget is not served by this cluster (yet)",
            #"mlops.dev/on-success-trigger[2]: deployments.apps "serve" not found in namespace ml-platform (yet)"#,
        ])
        #expect(Set(cluster.asked.map(\.check.resource)) == ["widgets", "gadgetz", "deployments"], "discovery's plural, or the guess")
    }

    @Test func theGuessedPluralFollowsKubernetesRules() {
        func guess(_ kind: String) -> String {
            TriggerTarget(Trigger(apiVersion: "x.io/v1", kind: kind, name: "n", namespace: nil, action: .refresh), jobNamespace: "ns").guessedResource
        }
        #expect(guess("Widget") == "widgets")
        #expect(guess("Policy") == "policies")
        #expect(guess("Ingress") == "ingresses")
    }
}
