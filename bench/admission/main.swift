// Measures admission decision time in-process, one thread: `reviewAdmission` on captured AdmissionReview bodies, then
// `/validate` with requester authority over a stub cluster (no review, a kept answer, a review that takes 1 ms).
// The fourth table decides bodies whose trigger lists all differ, as a server sees distinct requests: each body's
// target name `predictive-analytics` is rewritten with a number, 4,096 variants per body, through one
// `TriggerCheckMemo` that never holds the next one (it keeps the last 128), so every list is parsed and remembered.
// Run: swift run -c release admission-bench [FIXTURES_DIR [ITERATIONS [FILTER]]]
//      (default ../shared/fixtures/admission, 20000; FILTER keeps only the bodies whose file name contains it, for per-body profiles)
import Admission
import Foundation

let directory = CommandLine.arguments.dropFirst().first ?? "../shared/fixtures/admission"
let cases: [(file: String, webhook: Webhook)] = [
    ("05-update-kubectl-apply-dry-run-server.validating.raw.json", .validate),
    ("02-update-kubectl-apply.validating.raw.json", .validate),
    ("01-create-kubectl-apply.validating.raw.json", .validate),
    ("15-create-dry-run-all-via-api.validating.raw.json", .validate),
    ("04-update-kubectl-replace.mutating.raw.json", .mutate),
]
let policy = AdmissionPolicy(controllerUsername: "system:serviceaccount:triggergate:triggergate", allowedWriters: [])
let iterations = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 20_000
let filter = CommandLine.arguments.dropFirst(3).first ?? ""
let clock = ContinuousClock()

func body(_ file: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: "\(directory)/\(file)") else {
        FileHandle.standardError.write(Data("cannot read \(directory)/\(file)\n".utf8))
        exit(1)
    }
    return [UInt8](data)
}

func micros(_ duration: Duration) -> String {
    let value = Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6
    return String(format: "%.1f", value)
}

/// Runs `decide` `count` times after a warm-up and returns the median and p99 as table cells. `decide` gets the
/// indices `0..<count` when measured, and others during the warm-up.
func measure(_ count: Int, _ decide: (Int) async -> Int) async -> String {
    var sink = 0
    for index in 0..<min(1_000, count) { sink &+= await decide(count + index) }
    var samples: [Duration] = []
    samples.reserveCapacity(count)
    for index in 0..<count {
        let start = clock.now
        sink &+= await decide(index)
        samples.append(clock.now - start)
    }
    samples.sort()
    return "\(micros(samples[count / 2])) | \(micros(samples[count * 99 / 100]))" + (sink == 0 ? " " : "")
}

/// A cluster that allows every review, after `delay`, serves every kind, and has the jobs of `gateJobs`.
struct StubCluster: ClusterView {
    var delay: Duration?
    /// Makes one job of the object's application in ml-platform still run.
    var blockedByOne = false
    func triggerSources(ofNamespace namespace: String) -> CacheLookup<String?> { .known("*") }
    func resource(of target: TriggerTarget) async -> CacheLookup<String?> { .known(target.guessedResource) }
    func review(_ check: AccessCheck, user: UserInfo) async throws -> Bool {
        if let delay { try await Task.sleep(for: delay) }
        return true
    }
    func exists(_ target: TriggerTarget, resource: String) async -> Bool? { true }
    func blockingJobs(inNamespace namespace: String) -> CacheLookup<[GateJob]> {
        var jobs = gateJobs[namespace] ?? []
        if blockedByOne, !jobs.isEmpty { jobs[0].phase = "Running" }
        return .known(jobs)
    }
}

/// 10,000 jobs that block wave 5 in 100 namespaces of 100 each, as the job cache's index keeps them; the object's
/// namespace, ml-platform, is one of them. Half of each namespace's jobs belong to its application and have succeeded.
let gateJobs: [String: [GateJob]] = Dictionary(grouping: (0..<10_000).compactMap { index in
    let namespace = index < 100 ? "ml-platform" : "ns-\(index / 100)"
    return GateJob(namespace: namespace, name: "job-\(index)", labels: [AnnotationKeys.instanceLabel: index % 2 == 0 ? "ml-platform-app" : "other"],
                   annotations: [AnnotationKeys.blockWave: "5", AnnotationKeys.syncWave: "3"], phase: index % 2 == 0 ? "Succeeded" : "Running")
}, by: \.namespace)

/// `bytes` with every `predictive-analytics` made `predictive-analytics-<number>`.
func renamed(_ bytes: [UInt8], _ number: Int) -> [UInt8] {
    let name = Array("predictive-analytics".utf8)
    let new = name + Array("-\(number)".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 64)
    var at = 0
    while at < bytes.count {
        if bytes[at] == name[0], bytes[at...].starts(with: name) {
            out += new
            at += name.count
        } else {
            out.append(bytes[at])
            at += 1
        }
    }
    return out
}

/// One decision of a distinct body with the memo, apart from `reviewAdmission`'s other callers so that a profile
/// (callgrind's inclusive count of `decideDistinct`) separates the fourth table.
@inline(never)
func decideDistinct(_ body: [UInt8], _ webhook: Webhook, _ memo: TriggerCheckMemo) -> Int {
    reviewAdmission(body: body, webhook: webhook, policy: policy, triggerChecks: memo).count
}

/// The tables, run off the main actor so that an `await` of a decision that does not suspend costs no executor hop.
nonisolated func runBench() async {
    print("file | webhook | bytes | median µs | p99 µs")
    for (file, webhook) in cases where filter.isEmpty || file.contains(filter) {
        let bytes = body(file)
        let cells = await measure(iterations) { _ in reviewAdmission(body: bytes, webhook: webhook, policy: policy).count }
        print("\(file) | \(webhook.rawValue) | \(bytes.count) | \(cells)")
    }

    print("\ndistinct trigger lists (4,096 variants per body, memo misses): file | webhook | median µs | p99 µs")
    for (file, webhook) in cases where filter.isEmpty || file.contains(filter) {
        let bytes = body(file)
        let variants = (0..<4_096).map { renamed(bytes, $0) }
        let memo = TriggerCheckMemo()
        let cells = await measure(iterations) { index in decideDistinct(variants[index % variants.count], webhook, memo) }
        print("\(file) | \(webhook.rawValue) | \(cells)")
    }

    // Fixture 01: a CREATE with two triggers (an InferenceService restart, a cross-namespace Application sync), so two
    // reviews and one consent lookup. Distinct users make every review a new question; one user makes them kept answers.
    let created = body("01-create-kubectl-apply.validating.raw.json")
    let admin = Array(#""username":"admin""#.utf8)
    func asUser(_ index: Int) -> [UInt8] {
        let name = Array(#""username":"user-\#(index)""#.utf8)
        guard let at = (0...(created.count - admin.count)).first(where: { created[$0..<$0 + admin.count].elementsEqual(admin) }) else { return created }
        return Array(created[..<at]) + name + Array(created[(at + admin.count)...])
    }
    print("\n/validate, fixture 01 (2 triggers) | median µs | p99 µs")
    let plain = AdmissionReviewer(policy: policy, cluster: nil)
    print("no cluster (no review) | " + (await measure(iterations) { _ in await plain.review(body: created, webhook: .validate).count }))
    let kept = AdmissionReviewer(policy: policy, cluster: StubCluster())
    print("reviews answered from the cache | " + (await measure(iterations) { _ in await kept.review(body: created, webhook: .validate).count }))
    let slow = AdmissionReviewer(policy: policy, cluster: StubCluster(delay: .milliseconds(1)))
    let bodies = (0..<2_000).map(asUser)
    print("reviews asked, 1 ms each, in parallel | " + (await measure(1_000) { index in await slow.review(body: bodies[index], webhook: .validate).count }))

    // Fixture 10: a Deployment of application ml-platform-app with sync-wave 5, against 10,000 jobs, 100 in its
    // namespace: admitted while every job of its application has succeeded, blocked when one of them has not.
    let deployment = body("10-deployment-create-with-sync-wave.validating.raw.json")
    print("\n/gate, fixture 10, 10,000 jobs (100 in the namespace) | median µs | p99 µs")
    let gate = AdmissionReviewer(policy: policy, cluster: StubCluster())
    print("admitted | " + (await measure(iterations) { _ in await gate.review(body: deployment, webhook: .gate).count }))
    let blocking = AdmissionReviewer(policy: policy, cluster: StubCluster(blockedByOne: true))
    print("blocked (one job of its application runs) | " + (await measure(iterations) { _ in await blocking.review(body: deployment, webhook: .gate).count }))
}

await runBench()
