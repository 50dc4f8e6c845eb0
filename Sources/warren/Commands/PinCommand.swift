import ArgumentParser
import WarrenCore

struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Pin a backup: prune never removes it.",
        discussion: "Pinning again replaces the note. `warren unpin ID` lifts the pin. list and show show pins and notes.")

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup id (see `warren list`).")
    var id: Int64

    @Option(help: ArgumentHelp("Why it is pinned, shown by list and show.", valueName: "text"))
    var note: String?

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.openWriter()
            let summary = try Pinning(repository: repo).pin(id: id, note: note)
            print(output.json ? try WarrenJSON.string(summary) : "pinned backup \(id)" + (note.map { ": \($0)" } ?? ""))
        }
    }
}
