import ArgumentParser
import WarrenCore

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two backups.",
        discussion: """
            Vhosts, queues, exchanges, bindings and policies added, removed or changed (for a
            queue: type, durability, arguments), stored files and bytes per queue before and
            after, and whether the definitions checksum changed. Run it before restoring an
            older backup: "what would I lose?" (A = the backup to restore, B = the newest).
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The older backup id.")
    var from: Int64

    @Argument(help: "The newer backup id.")
    var to: Int64

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.open()
            let diff = try DiffCalculator(catalog: repo.catalog).diff(from: from, to: to)
            print(output.json ? try WarrenJSON.string(diff) : DiffRenderer.render(diff))
        }
    }
}
