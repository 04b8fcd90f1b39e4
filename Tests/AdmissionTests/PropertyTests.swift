import Admission
import TestSupport
import Testing

private let validAnnotations = [
    "mlops.dev/on-success-trigger": """
    - apiVersion: serving.kserve.io/v1beta1
      kind: InferenceService
      name: predictive-analytics
      namespace: ml-platform
      action: restart
    - {apiVersion: argoproj.io/v1alpha1, kind: Application, name: app, action: sync}
    - apiVersion: v1
      kind: ConfigMap
      name: settings
      action: refresh
    """,
    "mlops.dev/block-wave": "4",
    "argocd.argoproj.io/sync-wave": "3",
]

private let alphabet: [Character] = [":", "-", " ", "\n", "&", "*", "!", "{", "}", "[", "]", "\"", "'", "#", "a", "Z", "0", "é",
                                     "\u{7}", "\t", ",", "|", ">", "~", "%", "@", "\u{2028}"]

/// One random edit of a string: delete, insert, duplicate a line, or swap two lines.
private func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
    var characters = Array(text)
    switch Int.random(in: 0..<5, using: &rng) {
    case 0 where !characters.isEmpty:
        characters.remove(at: Int.random(in: 0..<characters.count, using: &rng))
    case 1, 0:
        characters.insert(alphabet.randomElement(using: &rng)!, at: Int.random(in: 0...characters.count, using: &rng))
    case 2:
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = Int.random(in: 0..<lines.count, using: &rng)
        lines.insert(lines[line], at: line)
        return lines.joined(separator: "\n")
    case 3:
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
        return lines.joined(separator: "\n")
    default:
        let word = ["restart", "sync", "refresh", "reboot", "apps/v1", "Deployment", "name", "nmae", "&a", "*a", "!!str", "---"]
        characters.insert(contentsOf: word.randomElement(using: &rng)!, at: Int.random(in: 0...characters.count, using: &rng))
    }
    return String(characters)
}

@Suite struct PropertyTests {
    @Test func randomMutationsOfValidAnnotations() throws {
        #expect(try ReviewRequest(annotations: validAnnotations).review().allowed)
        var rng = SplitMix64(state: 20261129)
        var denied = 0
        for round in 0..<600 {
            var annotations = validAnnotations
            let key = ["mlops.dev/on-success-trigger", "mlops.dev/on-success-trigger", "mlops.dev/block-wave",
                       "argocd.argoproj.io/sync-wave"].randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                annotations[key] = mutate(annotations[key]!, &rng)
            }
            if round % 7 == 0 {
                let misspelt = mutate(key, &rng)
                annotations[misspelt] = annotations.removeValue(forKey: key)
            }
            let request = ReviewRequest(operation: round % 3 == 0 ? "UPDATE" : "CREATE", annotations: annotations,
                                        oldAnnotations: round % 3 == 0 ? validAnnotations : nil)
            let body = request.body
            var first: [UInt8] = []
            let elapsed = threadCPUTime {
                first = reviewAdmission(body: body, webhook: .validate, policy: testPolicy)
            }
            #expect(elapsed < .milliseconds(50), "slow decision for \(annotations)")
            #expect(reviewAdmission(body: body, webhook: .validate, policy: testPolicy) == first)
            let response = try ReviewResponse(first).response
            if let status = response.status {
                denied += 1
                #expect(status.code == 422)
                #expect(status.message?.hasPrefix("metadata.annotations[") == true, "\(status.message ?? "")")
                for part in (status.message ?? "").components(separatedBy: "; metadata.") {
                    #expect(part.hasPrefix("metadata.") || part.hasPrefix("annotations["), "\(part)")
                }
            }
            for warning in response.warnings ?? [] {
                #expect(warning.count <= 120)
                #expect(!warning.unicodeScalars.contains { $0.properties.generalCategory == .control })
            }
        }
        #expect(denied > 100)
    }

    /// Damaged request bodies (cut short, a byte changed, a byte inserted) always get a well-formed AdmissionReview.
    @Test func damagedBodiesGetAnAnswer() throws {
        var rng = SplitMix64(state: 4096)
        var undecodable = 0
        for fixture in AdmissionFixture.all {
            for _ in 0..<40 {
                var body = fixture.body
                let position = Int.random(in: 0..<body.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: body.removeSubrange(position...)
                case 1: body[position] = UInt8.random(in: 0...255, using: &rng)
                default: body.insert(Array("\"{}[],:\\0 ".utf8).randomElement(using: &rng)!, at: position)
                }
                let response = try ReviewResponse(reviewAdmission(body: body, webhook: fixture.webhook, policy: testPolicy))
                #expect(response.apiVersion == "admission.k8s.io/v1")
                if response.response.status?.code == 400 {
                    undecodable += 1
                    #expect(response.response.status?.message?.hasPrefix("cannot decode the AdmissionReview: ") == true)
                }
            }
        }
        #expect(undecodable > 300)
    }
}
