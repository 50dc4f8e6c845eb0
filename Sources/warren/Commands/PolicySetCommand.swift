import ArgumentParser
import WarrenCore

struct PolicySetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Store a policy for one node (--node) or the default (--default), replacing the previous one.")

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The node the policy is for.", valueName: "name"))
    var node: String?

    @Flag(name: .customLong("default"), help: "The policy for nodes without their own.")
    var isDefault = false

    @OptionGroup var keep: KeepOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (node != nil) != isDefault else { throw ValidationError("give exactly one of --node NAME or --default") }
        guard !keep.policy.isEmpty else { throw ValidationError("give at least one --keep-* flag") }
    }

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.openWriter()
            let stored = try PolicyStore(repository: repo).set(keep.policy, node: node)
            if output.json {
                print(try WarrenJSON.string(stored))
            } else {
                print("stored policy for \(node.map { "node \($0)" } ?? "the default"): \(stored.policy.summary)")
            }
        }
    }
}
