import Foundation
import Testing
import TestSupport

/// The Dockerfile cannot be built here (no container engine), so these check what the manifests rely on, and that it
/// makes the same image as image/build.sh (which ImageTests runs).
@Suite struct DockerfileTests {
    let lines: [String]

    init() throws {
        lines = try String(contentsOf: packageRoot.appendingPathComponent("Dockerfile"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    @Test func buildsStaticallyThenRunsOnSlimBookworm() {
        let stages = lines.filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2)
        #expect(stages.first?.contains("-bookworm") == true)
        #expect(stages.last == "FROM debian:bookworm-slim")
        #expect(lines.contains { $0.contains("swift build -c release --static-swift-stdlib") })
        #expect(lines.contains { $0.contains("libssl3") && $0.contains("libnghttp2-14") && $0.contains("libyaml-0-2") })
    }

    /// The build stage has every file the BuildInfo plugin reads, and passes the version and commit through.
    @Test func theBuildStageHasWhatBuildInfoReads() throws {
        let script = try String(contentsOf: packageRoot.appendingPathComponent("Plugins/BuildInfo/build-info.sh"), encoding: .utf8)
        let read = script.matches(of: /\$root\/([A-Za-z0-9._\/-]+)/).map { String($0.output.1) }
        #expect(Set(read) == ["chart/triggergate/Chart.yaml", "deploy/examples/admission-review.json"])
        let copied = lines.filter { $0.hasPrefix("COPY ") && !$0.contains("--from") }.map { $0.split(separator: " ")[1] }
        for path in read + ["Plugins"] {
            #expect(copied.contains { path.hasPrefix($0) }, "the Dockerfile copies \(path)")
        }
        #expect(lines.contains("ARG TRIGGERGATE_VERSION") && lines.contains("ARG TRIGGERGATE_COMMIT"))
    }

    @Test func hasTheSamePackagesUserEntrypointAndLabelsAsImageBuild() throws {
        let script = try String(contentsOf: packageRoot.appendingPathComponent("image/build.sh"), encoding: .utf8)
        let scriptPackages = try #require(script.split(separator: "\n").first { $0.hasPrefix("packages=") })
            .dropFirst("packages=".count).split(separator: ",").map(String.init)
        let install = try #require(lines.last { $0.contains("apt-get install") })
        let dockerPackages = install.split(separator: " ").drop { $0 != "--no-install-recommends" }.dropFirst().prefix { $0 != "\\" }.map(String.init)
        #expect(Set(scriptPackages) == Set(dockerPackages), "image/build.sh: \(scriptPackages), Dockerfile: \(dockerPackages)")
        #expect(script.contains("--user 65532:65532") && script.contains(#"--entrypoint '["/usr/local/bin/triggergate"]' --cmd serve"#))
        #expect(lines.contains("CMD [\"serve\"]"))
        for label in ["title", "source", "version", "revision"] {
            #expect(script.contains("org.opencontainers.image.\(label)=") && lines.contains { $0.contains("org.opencontainers.image.\(label)=") }, "\(label)")
        }
        #expect(script.contains("swift build -c release --static-swift-stdlib") && script.contains("strip --strip-debug"))
        #expect(lines.contains { $0.contains("strip --strip-debug") })
    }

    @Test func runsAsTheNonRootUserTheManifestsName() throws {
        let user = try #require(lines.last { $0.hasPrefix("USER ") })
        #expect(user == "USER 65532:65532")
        let deployment = try String(contentsOf: deployRoot.appendingPathComponent("base/deployment.yaml"), encoding: .utf8)
        #expect(deployment.contains("runAsUser: 65532") && deployment.contains("runAsGroup: 65532"))
        #expect(lines.contains("ENTRYPOINT [\"/usr/local/bin/triggergate\"]"))
    }
}
