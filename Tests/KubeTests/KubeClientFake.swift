import Kube
import TestSupport

extension FakeAPIServer {
    /// A client for this fake, configured from its kubeconfig.
    func client(qps: Double = 1000, burst: Int = 1000, requestTimeout: Duration = .seconds(10)) throws -> KubeClient {
        var config = try KubeConfig.fromKubeconfig(path: kubeconfigPath)
        config.qps = qps
        config.burst = burst
        config.requestTimeout = requestTimeout
        return KubeClient(config: config)
    }

    /// A NotebookValidationJob with an annotation of `padding` bytes, so its JSON spans several 2048-byte chunks.
    static func job(_ name: String, namespace: String = "ml", phase: String? = nil, padding: Int = 3000) -> String {
        let status = phase.map { #","status":{"phase":"\#($0)"}"# } ?? ""
        return #"{"apiVersion":"mlops.mlops.dev/v1alpha1","kind":"NotebookValidationJob","metadata":{"name":"\#(name)","namespace":"\#(namespace)","annotations":{"pad":"\#(String(repeating: "x", count: padding))"}},"spec":{"notebook":{"path":"a.ipynb"}}\#(status)}"#
    }
}
