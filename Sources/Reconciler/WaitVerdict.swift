/// What `triggergate wait` concludes from one read of the job (SPEC §6).
public enum WaitVerdict: Sendable, Equatable {
    /// The job succeeded for its current generation: exit 0.
    case complete
    /// The job failed for its current generation: exit 1.
    case failed
    /// Not yet: the job does not exist, runs, or its wave annotations belong to an older generation.
    case waiting(String)

    /// Judges a job; `nil` means it does not exist (yet).
    ///
    /// `wave-complete` and `wave-failed` count only when `completion-generation` equals `metadata.generation`,
    /// so a result recorded for an older spec is not taken for the current one.
    public init(_ job: Job?) {
        guard let job else {
            self = .waiting("the job does not exist yet")
            return
        }
        let generation = job.metadata.generation.map(String.init) ?? ""
        let recorded = job.annotation(AnnotationKey.completionGeneration)
        let current = recorded != nil && recorded == generation
        if current, job.annotation(AnnotationKey.waveComplete) != nil {
            self = .complete
        } else if current, job.annotation(AnnotationKey.waveFailed) != nil {
            self = .failed
        } else if let recorded, recorded != generation {
            self = .waiting("the recorded result is for generation \(recorded), the job is at generation \(generation)")
        } else {
            self = .waiting("phase \(job.phase.isEmpty ? "unset" : job.phase)")
        }
    }
}
