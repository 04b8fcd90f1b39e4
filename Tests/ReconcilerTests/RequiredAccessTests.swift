import Reconciler
import TestSupport
import Testing

/// The access `triggergate doctor` checks is exactly what deploy/ and the chart grant, and so (by RBACCoverageTests)
/// what the code uses.
@Suite(.tags(.integration)) struct RequiredAccessTests {
    @Test func doctorChecksWhatTheInstallGrants() async throws {
        let listed = Set(AccessRule.triggergate.flatMap { rule in
            rule.verbs.map { RBACGrant(verb: $0, apiGroup: rule.group, resource: rule.resource + (rule.subresource.map { "/" + $0 } ?? "")) }
        })
        let rbac = try await renderDeployRBAC()
        for (source, granted) in [("deploy/", rbac.kustomize), ("chart/", rbac.helm)] {
            #expect(listed == granted, "\(source): granted, not checked: \(granted.subtracting(listed).sorted()); checked, not granted: \(listed.subtracting(granted).sorted())")
        }
    }
}
