// swift-tools-version:6.1
import PackageDescription

/// Compiler settings shared by every Swift target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")

let package = Package(
    name: "triggergate",
    products: [
        .executable(name: "triggergate", targets: ["triggergate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // C shims: system libraries and the Linux calls Glibc does not import.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CLinux"),

        // A value shared between threads under a POSIX mutex (one that ThreadSanitizer sees).
        .target(name: "Locking", swiftSettings: swiftSettings),

        // Sockets and the epoll event loop.
        .target(
            name: "Sockets",
            dependencies: ["CLinux", "Locking", .product(name: "HeapModule", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        // TLS through OpenSSL: contexts, handshakes, ALPN, certificate reload and generation.
        .target(name: "TLS", dependencies: ["Sockets", "Locking", "COpenSSL", log], swiftSettings: swiftSettings),
        // HTTP/1.1 codec (server and client) and the HTTP/2 server session over nghttp2.
        .target(
            name: "HTTP",
            dependencies: ["Sockets", "Locking", "CNGHTTP2"],
            swiftSettings: swiftSettings
        ),
        // The HTTPS admission server and the plain-HTTP health server: listeners, routing, limits, shutdown.
        .target(name: "Server", dependencies: ["Sockets", "Locking", "TLS", "HTTP", "Admission", log, metrics, lifecycle], swiftSettings: swiftSettings),
        // JSON text: one scanner (read or skip values) and one writer, shared by Admission and Kube. Pure, no I/O.
        .target(name: "JSON", swiftSettings: swiftSettings),
        // YAML text through libyaml: one event scanner that refuses what is never expanded, and a small document tree,
        // shared by Admission and Kube. Pure, no I/O.
        .target(
            name: "YAML",
            dependencies: ["CLibYAML", .product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        // Kubernetes client: configuration, typed calls, watch.
        .target(name: "Kube", dependencies: ["Sockets", "Locking", "TLS", "HTTP", "JSON", "YAML", log], swiftSettings: swiftSettings),
        // Admission rules: pure functions, no I/O.
        .target(name: "Admission", dependencies: ["JSON", "YAML", "Locking"], swiftSettings: swiftSettings),
        // The trigger reconciler: pure decisions plus the workers that carry them out.
        .target(
            name: "Reconciler",
            dependencies: ["Kube", "Admission", "Locking", log, metrics, lifecycle],
            swiftSettings: swiftSettings
        ),
        // The command line.
        .executableTarget(
            name: "triggergate",
            dependencies: [
                "Server", "Kube", "Admission", "Reconciler", "TLS", "JSON", log, metrics, lifecycle,
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["BuildInfo"]
        ),
        // Before each build: the version, the git commit and the sample AdmissionReview, generated into BuildInfo.swift.
        .plugin(name: "BuildInfo", capability: .buildTool(), path: "Plugins/BuildInfo"),

        // Benchmark: median and p99 admission decision time (docs/performance.md).
        .executableTarget(name: "admission-bench", dependencies: ["Admission"], path: "bench/admission", swiftSettings: swiftSettings),
        .executableTarget(
            name: "triggers-bench",
            dependencies: ["Reconciler", "Kube", "TestSupport", log, metrics, .product(name: "MetricsTestKit", package: "swift-metrics")],
            path: "bench/triggers", swiftSettings: swiftSettings
        ),

        // The full-size reconciler chaos run: `swift run reconciler-chaos [--ci] [seed]` (docs/reliability.md).
        .executableTarget(name: "reconciler-chaos", dependencies: ["ReconcilerChaos", "TestSupport"], path: "bench/chaos", swiftSettings: swiftSettings),

        // Fuzz targets (docs/reliability.md, .ci/fuzz): one executable per entry point, libFuzzer's when built with
        // -DFUZZING and -sanitize=fuzzer, else a replayer of corpus files.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/FuzzSupport", swiftSettings: swiftSettings),
        .executableTarget(name: "fuzz-http-head", dependencies: ["FuzzSupport", "HTTP"], path: "Fuzz/HTTPHead", swiftSettings: swiftSettings),
        .executableTarget(
            name: "fuzz-http-chunked", dependencies: ["FuzzSupport", "HTTP", "Sockets"], path: "Fuzz/HTTPChunked", swiftSettings: swiftSettings
        ),
        .executableTarget(name: "fuzz-json", dependencies: ["FuzzSupport", "JSON", "Kube"], path: "Fuzz/JSON", swiftSettings: swiftSettings),
        .executableTarget(
            name: "fuzz-admission-review", dependencies: ["FuzzSupport", "Admission", "Kube"], path: "Fuzz/AdmissionReview",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "fuzz-annotations", dependencies: ["FuzzSupport", "Admission", "JSON", "YAML"], path: "Fuzz/Annotations", swiftSettings: swiftSettings
        ),
        .executableTarget(name: "fuzz-watch-events", dependencies: ["FuzzSupport", "Kube"], path: "Fuzz/WatchEvents", swiftSettings: swiftSettings),
        .executableTarget(name: "fuzz-kubeconfig", dependencies: ["FuzzSupport", "Kube"], path: "Fuzz/Kubeconfig", swiftSettings: swiftSettings),

        // Test helpers: subprocesses, ports, the built binary, the fake API server.
        .target(name: "TestSupport", dependencies: ["YAML", "Locking"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "SocketsTests", dependencies: ["Sockets", "Locking", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "Sockets", "TestSupport", log], swiftSettings: swiftSettings),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Sockets", "Locking", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ServerTests", dependencies: ["Server", "TLS", "HTTP", "Sockets", "Admission", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AdmissionTests", dependencies: ["Admission", "YAML", "Locking", "TestSupport"], exclude: ["Manifests"], swiftSettings: swiftSettings
        ),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: swiftSettings),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"], swiftSettings: swiftSettings),
        .testTarget(name: "KubeTests", dependencies: ["Kube", "TestSupport"], swiftSettings: swiftSettings),
        // The reconciler chaos run (docs/reliability.md): replicas of the binary against the fake API server's chaos mode.
        .target(name: "ReconcilerChaos", dependencies: ["TestSupport", "Kube", "Reconciler"], path: "Tests/ReconcilerChaos", swiftSettings: swiftSettings),
        .testTarget(name: "ReconcilerTests", dependencies: ["Reconciler", "Kube", "Locking", "TestSupport", "ReconcilerChaos"], swiftSettings: swiftSettings),
        .testTarget(name: "DeployTests", dependencies: ["TestSupport", "Server"], swiftSettings: swiftSettings),
    ]
)
