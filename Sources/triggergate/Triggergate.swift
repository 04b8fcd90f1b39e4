import ArgumentParser

/// The `triggergate` command: admission webhooks and trigger reconciler for NotebookValidationJobs.
@main
struct Triggergate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triggergate",
        abstract: "Admission webhooks and trigger reconciler for NotebookValidationJobs.",
        discussion: """
        Shell completions: triggergate --generate-completion-script bash (or zsh, fish) prints a script to install, \
        for example into /etc/bash_completion.d/triggergate.
        """,
        version: "triggergate \(BuildInfo.version) (commit \(BuildInfo.commit))",
        subcommands: [ServeCommand.self, CertsCommand.self, LintCommand.self, WaitCommand.self, DoctorCommand.self]
    )
}
