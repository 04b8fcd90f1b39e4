import Foundation

/// One `triggergate serve --kubeconfig` process against the fake API server, on free ports, with short lease timings
/// (lease 2 s, renew deadline 1.5 s, retry 200 ms), so that a killed leader is replaced within a few seconds.
public struct ServeReplica: Sendable {
    /// Its `POD_NAME`: the identity it holds the Lease under.
    public let identity: String
    /// The process.
    public let process: ChildProcess

    /// Starts a replica; `crashAt` sets `TRIGGERGATE_TESTING_CRASH_AT` (the reconciler kills itself at that point).
    public static func start(kubeconfig: String, crashAt: String? = nil) throws -> ServeReplica {
        let identity = "serve-\(UUID().uuidString.prefix(8))"
        var environment = ["POD_NAME": identity]
        if let crashAt { environment["TRIGGERGATE_TESTING_CRASH_AT"] = crashAt }
        let process = try ChildProcess(triggergateBinary.path, [
            "serve", "--kubeconfig", kubeconfig, "--listen", "127.0.0.1:\(freePort())",
            "--health-listen", "127.0.0.1:\(freePort())", "--lease-duration", "2s", "--lease-renew-deadline", "1500ms",
            "--lease-retry-period", "200ms", "--lease-namespace", "triggergate", "--kube-qps", "1000", "--kube-burst", "1000",
            "--shutdown-delay", "0s",
        ], environment: environment)
        return ServeReplica(identity: identity, process: process)
    }

    /// Whether `holder`, a Lease's `holderIdentity`, is this replica: its identity and the suffix of one process run.
    public func holds(_ holder: String?) -> Bool {
        holder == identity || holder?.hasPrefix(identity + "_") == true
    }
}

/// The API path of the Lease the replicas elect their leader with.
public let serveLeasePath = "/apis/coordination.k8s.io/v1/namespaces/triggergate/leases/triggergate"

extension FakeAPIServer {
    /// The identity holding the replicas' Lease, nil when none does.
    public func leaseHolder() async throws -> String? {
        let holder = (try await object(at: serveLeasePath)?["spec"] as? [String: Any])?["holderIdentity"] as? String
        return holder?.isEmpty == false ? holder : nil
    }
}
