import Kube

extension Doctor {
    /// The Lease's namespace exists and a replica holds the Lease and renews it.
    func leaseChecks() async -> [DoctorCheck] {
        let lease = "\(leaseNamespace)/\(leaseName)"
        do {
            guard try await object(.namespaces, namespace: nil, name: leaseNamespace) != nil else {
                return [.failed("lease", "the Lease's namespace \(leaseNamespace) does not exist: no replica can lead, so no trigger runs",
                                fix: "create namespace \(leaseNamespace) or set --lease-namespace (on serve, and here)")]
            }
            var checks: [DoctorCheck] = [.ok("lease", "the Lease's namespace \(leaseNamespace) exists")]
            guard let current = try await client.lease(namespace: leaseNamespace, name: leaseName) else {
                return checks + [.failed("lease", "no Lease \(lease): no replica has become the leader",
                                         fix: "check that serve runs with --lease-namespace \(leaseNamespace) and its log's \"cannot take the Lease\" lines")]
            }
            let holder = current.holderIdentity ?? ""
            let renewed = current.renewTime.flatMap(KubeTime.parse).map { KubeTime.now().seconds - $0 }
            let duration = Int64(current.leaseDurationSeconds ?? 15)
            if holder.isEmpty || renewed.map({ $0 > duration }) ?? true {
                checks.append(.failed("lease", "Lease \(lease) is not held (holder \"\(holder)\", renewed \(renewed.map { "\($0) s ago" } ?? "never"))",
                                      fix: "check that triggergate's pods run, and their log's \"cannot renew the Lease\" lines"))
            } else {
                checks.append(.ok("lease", "Lease \(lease) is held by \(holder), renewed \(renewed ?? 0) s ago"))
            }
            return checks
        } catch {
            return [.failed("lease", "cannot read Lease \(lease): \(error)", fix: "run doctor as a user who may get namespaces and leases")]
        }
    }

    /// The watch caches' sync state from `/metrics`, read through the API server's proxy to the Service's metrics port.
    func watchChecks() async -> [DoctorCheck] {
        let path = "/api/v1/namespaces/\(namespace)/services/http:\(service):metrics/proxy/metrics"
        let text: String
        do {
            let response = try await client.send(KubeRequest(method: "GET", path: path))
            guard response.isSuccess else {
                throw KubeError(statusCode: response.status, body: response.body, retryAfterHeader: nil, request: "GET \(path)")
            }
            text = String(decoding: response.body, as: UTF8.self)
        } catch {
            return [.skipped("watch", "cannot read /metrics through the Service \(namespace)/\(service) (\(error))",
                             fix: "allow get on services/proxy, or read http://POD:8081/metrics yourself")]
        }
        let synced = text.split(separator: "\n").filter { $0.hasPrefix("triggergate_watch_synced{") }
        guard !synced.isEmpty else {
            return [.failed("watch", "/metrics of \(namespace)/\(service) has no triggergate_watch_synced: serve runs without a cluster",
                            fix: "run serve in the cluster or with --kubeconfig")]
        }
        return synced.map { line in
            let resource = line.split(separator: "\"").dropFirst().first.map(String.init) ?? "?"
            return line.split(separator: " ").last.flatMap { Double($0) } == 1
                ? .ok("watch", "the \(resource) watch cache is synced")
                : .failed("watch", "the \(resource) watch cache is not synced",
                          fix: "read serve's \"watch failed\" log lines (triggergate_watch_errors_total says why)")
        }
    }

    /// Argo CD's namespace exists and argocd-cm has the NotebookValidationJob health check.
    func argoChecks() async -> [DoctorCheck] {
        let key = "resource.customizations.health.mlops.mlops.dev_NotebookValidationJob"
        do {
            guard try await object(.namespaces, namespace: nil, name: argocdNamespace) != nil else {
                return [.failed("argocd", "the Application namespace \(argocdNamespace) does not exist",
                                fix: "install Argo CD, or set --argocd-namespace")]
            }
            var checks: [DoctorCheck] = [.ok("argocd", "the Application namespace \(argocdNamespace) exists")]
            let data = try await object(.configMaps, namespace: argocdNamespace, name: "argocd-cm")?["data"]?.stringMap ?? [:]
            if data[key]?.contains("hs.status") == true {
                checks.append(.ok("argocd", "argocd-cm has the NotebookValidationJob health check"))
            } else {
                checks.append(.failed("argocd", "argocd-cm has no \(key): Argo CD shows jobs Healthy at once and does not wait for them",
                                      fix: "kubectl -n \(argocdNamespace) patch configmap argocd-cm --type merge --patch \"$(kubectl kustomize deploy/argocd)\""))
            }
            return checks
        } catch {
            return [.failed("argocd", "cannot read \(argocdNamespace)/argocd-cm: \(error)", fix: "run doctor as a user who may get namespaces and configmaps")]
        }
    }
}
