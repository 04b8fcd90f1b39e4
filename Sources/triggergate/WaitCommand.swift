import ArgumentParser
import Kube
import Reconciler

/// `triggergate wait --namespace NS --job NAME [--timeout D]` (SPEC §6): for a hook in a later wave, waits until the job's
/// result for its current generation is recorded. Exits 0 on `wave-complete`, 1 on `wave-failed` or timeout.
struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait for a NotebookValidationJob's wave-complete (exit 0) or wave-failed (exit 1).",
        discussion: """
        Use it in a Sync-phase hook or a plain Job of a wave after the job's own (a PreSync hook runs before the job \
        exists). It keeps waiting while the job does not exist, and believes wave-complete or wave-failed only when \
        mlops.dev/completion-generation equals the job's metadata.generation. It exits 1 when --timeout passes.
        """
    )

    @Option(name: .long, help: "The job's namespace.")
    var namespace: String

    @Option(name: .long, help: "The job's name.")
    var job: String

    @Option(name: .long, help: "Give up after this long (e.g. 30m); 0 waits forever.")
    var timeout: FlagDuration = FlagDuration(.seconds(0))

    @Option(name: .long, help: "How often to read the job.")
    var interval: FlagDuration = FlagDuration(.seconds(2))

    @OptionGroup var cluster: ClusterOptions

    func run() async throws {
        let config: KubeConfig
        do {
            config = try cluster.config()
        } catch {
            throw ValidationError(error.description)
        }
        let client = KubeClient(config: config)
        defer { client.shutdown() }
        let deadline = timeout.value > .zero ? ContinuousClock.now + timeout.value : nil
        var said = ""
        while true {
            let verdict: WaitVerdict
            do {
                verdict = WaitVerdict(Job(json: try await client.get(.notebookValidationJobs, namespace: namespace, name: job)))
            } catch let error as KubeError where error.kind == .notFound {
                verdict = WaitVerdict(nil)
            } catch let error as KubeError where error.kind == .forbidden || error.kind == .unauthorized {
                print("triggergate wait: \(error.description)")
                throw ExitCode(1)
            } catch {
                verdict = .waiting("cannot read the job (will retry): \(error)")
            }
            switch verdict {
            case .complete:
                print("\(namespace)/\(job): wave-complete")
                return
            case .failed:
                print("\(namespace)/\(job): wave-failed")
                throw ExitCode(1)
            case .waiting(let why):
                if why != said {
                    print("\(namespace)/\(job): waiting: \(why)")
                    said = why
                }
            }
            if let deadline, ContinuousClock.now + interval.value > deadline {
                print("\(namespace)/\(job): gave up after \(timeout): \(said)")
                throw ExitCode(1)
            }
            try await Task.sleep(for: interval.value)
        }
    }
}
