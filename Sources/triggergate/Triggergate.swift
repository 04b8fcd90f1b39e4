import ArgumentParser

/// The `triggergate` command: admission webhooks and trigger reconciler for NotebookValidationJobs.
@main
struct Triggergate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triggergate",
        abstract: "Admission webhooks and trigger reconciler for NotebookValidationJobs.",
        subcommands: [LintCommand.self, WaitCommand.self]
    )
}
