import ArgumentParser
import WarrenCore

struct PolicyUnsetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unset",
        abstract: "Remove the stored policy of one node (--node) or the default (--default).")

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The node whose policy to remove.", valueName: "name"))
    var node: String?

    @Flag(name: .customLong("default"), help: "Remove the default policy.")
    var isDefault = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (node != nil) != isDefault else { throw ValidationError("give exactly one of --node NAME or --default") }
    }

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.openWriter()
            let removed = try PolicyStore(repository: repo).unset(node: node)
            let scope = node.map { "node \($0)" } ?? "the default"
            if output.json {
                struct Unset: Encodable {
                    var node: String?, isDefault: Bool, removed: Bool
                    enum CodingKeys: String, CodingKey { case node, isDefault, removed }
                    func encode(to encoder: Encoder) throws {
                        var c = encoder.container(keyedBy: CodingKeys.self)
                        try c.encode(node, forKey: .node)
                        try c.encode(isDefault, forKey: .isDefault)
                        try c.encode(removed, forKey: .removed)
                    }
                }
                print(try WarrenJSON.string(Unset(node: node, isDefault: isDefault, removed: removed)))
            } else {
                print(removed ? "removed the stored policy for \(scope)" : "no stored policy for \(scope)")
            }
        }
    }
}
