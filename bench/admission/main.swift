// Measures admission decision time: `reviewAdmission` on captured AdmissionReview bodies, in-process, one thread.
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

print("file | webhook | bytes | median µs | p99 µs")
for (file, webhook) in cases where filter.isEmpty || file.contains(filter) {
    guard let data = FileManager.default.contents(atPath: "\(directory)/\(file)") else {
        FileHandle.standardError.write(Data("cannot read \(directory)/\(file)\n".utf8))
        exit(1)
    }
    let body = [UInt8](data)
    var sink = 0
    for _ in 0..<min(1_000, iterations) { sink &+= reviewAdmission(body: body, webhook: webhook, policy: policy).count }
    var samples: [Duration] = []
    samples.reserveCapacity(iterations)
    for _ in 0..<iterations {
        let start = clock.now
        sink &+= reviewAdmission(body: body, webhook: webhook, policy: policy).count
        samples.append(clock.now - start)
    }
    samples.sort()
    func micros(_ duration: Duration) -> String {
        let value = Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6
        return String(format: "%.1f", value)
    }
    print("\(file) | \(webhook.rawValue) | \(body.count) | \(micros(samples[iterations / 2])) | \(micros(samples[iterations * 99 / 100]))"
        + (sink == 0 ? " " : ""))
}
