// Fuzzes the kubeconfig reader: the YAML file (through libyaml), its clusters, users and contexts, the server URL
// and the base64 `-data` fields, written to a file and read the way `--kubeconfig` reads it. Relative file names in
// the input point into an empty folder. No invariant beyond a clean success or a ``KubeConfigError``.
import FuzzSupport
import Glibc
import Kube

var template = Array("/tmp/triggergate-fuzz-kubeconfig-XXXXXX".utf8CString)
guard let folder = mkdtemp(&template).map({ String(cString: $0) }) else { fuzzFail("cannot make a temporary folder") }
let path = folder + "/config"

fuzzMain { bytes in
    guard let file = fopen(path, "wb") else { fuzzFail("cannot write \(path)") }
    if !bytes.isEmpty { fwrite(bytes, 1, bytes.count, file) }
    fclose(file)
    _ = try? KubeConfig.fromKubeconfig(path: path)
}
