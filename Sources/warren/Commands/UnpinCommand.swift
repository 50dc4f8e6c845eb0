import ArgumentParser
import WarrenCore

struct UnpinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpin",
        abstract: "Lift a backup's pin: prune may remove it again.")

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup id (see `warren list`).")
    var id: Int64

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.openWriter()
            let result = try Pinning(repository: repo).unpin(id: id)
            if output.json {
                print(try WarrenJSON.string(result.summary))
            } else {
                print(result.wasPinned ? "unpinned backup \(id)" : "backup \(id) was not pinned")
            }
        }
    }
}
