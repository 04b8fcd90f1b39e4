import Foundation
import Testing
import TestSupport

extension Tag {
    /// Needs the image archive from `image/build.sh` (CI builds it first), root, umoci and mount namespaces.
    @Tag static var image: Self
}

/// The chart's appVersion, which is the image's tag.
let imageTag: String = {
    let chart = (try? String(contentsOf: chartRoot.appendingPathComponent("Chart.yaml"), encoding: .utf8)) ?? ""
    let line = chart.split(separator: "\n").first { $0.hasPrefix("appVersion:") } ?? ""
    return line.dropFirst("appVersion:".count).trimmingCharacters(in: CharacterSet(charactersIn: " \""))
}()

/// `TRIGGERGATE_IMAGE`, or the archive image/build.sh writes by default, when it exists.
let imageArchive: URL? = {
    if let path = ProcessInfo.processInfo.environment["TRIGGERGATE_IMAGE"] { return URL(fileURLWithPath: path) }
    let file = packageRoot.appendingPathComponent(".build/image/triggergate-\(imageTag).oci.tar")
    return FileManager.default.fileExists(atPath: file.path) ? file : nil
}()

/// The OCI archive of `image/build.sh`, unpacked with umoci and run from its root file system made read-only, as the
/// image's user 65532 and with no writable path: the way a pod with `readOnlyRootFilesystem` and `runAsUser` runs it.
@Suite(.tags(.integration, .image), .enabled(if: imageArchive != nil, "no image archive: run image/build.sh first"))
struct ImageTests {
    /// A shell line that makes `root` a read-only bind mount of itself in a mount namespace of its own, mounts /proc
    /// in it as a container runtime does, then runs `command`.
    static func readOnly(_ root: String, _ command: String) -> [String] {
        ["-m", "sh", "-c", "mount --bind '\(root)' '\(root)' && mount -o remount,bind,ro '\(root)' '\(root)' && mount -t proc proc '\(root)/proc' && \(command)"]
    }

    @Test func servesAndDeniesFromAReadOnlyRootAsUser65532() async throws {
        let archive = try #require(imageArchive)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("tg-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("layout"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let untar = try await run("tar", ["-xf", archive.path, "-C", work.appendingPathComponent("layout").path])
        #expect(untar.status == 0, "\(untar.stderr)")
        let bundle = work.appendingPathComponent("bundle").path
        let unpack = try await run("umoci", ["unpack", "--image", work.appendingPathComponent("layout").path + ":" + imageTag, bundle])
        try #require(unpack.status == 0, "\(unpack.stderr)")

        // The image's configuration, as umoci turns it into a runtime bundle.
        let config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundle + "/config.json"))) as? [String: Any])
        let process = try #require(config["process"] as? [String: Any])
        #expect((process["user"] as? [String: Any])?["uid"] as? Int == 65532)
        #expect(process["args"] as? [String] == ["/usr/local/bin/triggergate", "serve"])
        let labels = config["annotations"] as? [String: String] ?? [:]
        #expect(labels["org.opencontainers.image.version"] == imageTag, "\(labels)")
        #expect(labels["org.opencontainers.image.source"]?.hasPrefix("https://") == true, "\(labels)")
        #expect(labels["org.opencontainers.image.revision"]?.isEmpty == false, "\(labels)")

        let root = bundle + "/rootfs"
        chmod(bundle, 0o755)
        let writable = try await run("unshare", Self.readOnly(root, "setpriv --reuid=65532 --regid=65532 --clear-groups find '\(root)' -path '\(root)/proc' -prune -o -writable -print"))
        #expect(writable.stdout.isEmpty, "writable for 65532: \(writable.stdout)")
        let help = try await run("unshare", Self.readOnly(root, "chroot --userspec=65532:65532 '\(root)' /usr/local/bin/triggergate serve --help"))
        #expect(help.status == 0 && help.stdout.contains("--health-listen"), "\(help.stdout)\(help.stderr)")

        let port = freePort()
        let health = freePort()
        let server = try ChildProcess("unshare", Self.readOnly(root, """
            exec chroot --userspec=65532:65532 '\(root)' /usr/local/bin/triggergate serve \
            --listen 127.0.0.1:\(port) --health-listen 127.0.0.1:\(health) --shutdown-delay 0s
            """))
        try await waitForPort(health)
        let ready = try await run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(health)/readyz"])
        #expect(ready.stdout == "200", "\(ready.stdout)\n\(server.output)")
        let status = try String(contentsOfFile: "/proc/\(server.pid)/status", encoding: .utf8)
        #expect(status.split(separator: "\n").contains { $0.hasPrefix("Uid:") && $0.split(separator: "\t").dropFirst().allSatisfy { $0 == "65532" } }, "\(status)")

        let job: [String: Any] = [
            "apiVersion": "mlops.mlops.dev/v1alpha1", "kind": "NotebookValidationJob",
            "metadata": ["name": "check", "namespace": "ml", "annotations": [
                "mlops.dev/on-success-trigger": "- {apiVersion: apps/v1, kind: Deployment, name: web, action: reboot}",
            ]],
            "spec": ["notebook": ["path": "check.ipynb"]],
        ]
        let review: [String: Any] = ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": [
            "uid": "u-1", "operation": "CREATE", "namespace": "ml", "userInfo": ["username": "jane"], "object": job, "oldObject": NSNull(),
        ]]
        let body = String(decoding: try JSONSerialization.data(withJSONObject: review), as: UTF8.self)
        let answer = try await run("curl", ["-sk", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body,
                                            "https://127.0.0.1:\(port)/validate"]).stdout
        #expect(answer.contains(#""allowed":false"#) && answer.contains(#"Unsupported value: \"reboot\""#), "\(answer)\n\(server.output)")
        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0, "\(server.output)")
    }
}
