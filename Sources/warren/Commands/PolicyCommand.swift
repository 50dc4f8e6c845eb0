import ArgumentParser

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Store the retention policy that `warren prune` applies when given no keep flag.",
        discussion: """
            A node's own policy wins over the default. Nodes with neither keep every backup.
            """,
        subcommands: [PolicySetCommand.self, PolicyShowCommand.self, PolicyUnsetCommand.self],
        defaultSubcommand: PolicyShowCommand.self)
}
