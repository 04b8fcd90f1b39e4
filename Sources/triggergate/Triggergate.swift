import ArgumentParser

/// The `triggergate` command: admission webhooks and trigger reconciler for NotebookValidationJobs.
@main
struct Triggergate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triggergate",
        abstract: "Admission webhooks and trigger reconciler for NotebookValidationJobs.",
        subcommands: [ServeCommand.self, CertsCommand.self, LintCommand.self, WaitCommand.self, DoctorCommand.self]
    )
}
