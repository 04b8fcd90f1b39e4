import Reconciler
import Testing

@Suite struct WaitVerdictTests {
    func job(generation: Int64, phase: String = "Succeeded", _ annotations: [String: String]) -> Job {
        Job(metadata: .init(name: "j", namespace: "n", generation: generation, annotations: annotations), status: .init(phase: phase))
    }

    @Test func aMissingJobIsWaitedFor() {
        #expect(WaitVerdict(nil) == .waiting("the job does not exist yet"))
    }

    @Test func waveAnnotationsCountOnlyForTheCurrentGeneration() {
        #expect(WaitVerdict(job(generation: 3, ["mlops.dev/wave-complete": "2", "mlops.dev/completion-generation": "3"])) == .complete)
        #expect(WaitVerdict(job(generation: 3, ["mlops.dev/wave-failed": "2", "mlops.dev/completion-generation": "3"])) == .failed)
        #expect(WaitVerdict(job(generation: 4, ["mlops.dev/wave-complete": "2", "mlops.dev/completion-generation": "3"]))
            == .waiting("the recorded result is for generation 3, the job is at generation 4"))
        #expect(WaitVerdict(job(generation: 3, ["mlops.dev/wave-complete": "2"])) == .waiting("phase Succeeded"))
        #expect(WaitVerdict(job(generation: 1, phase: "ValidationRunning", [:])) == .waiting("phase ValidationRunning"))
    }
}
