import ArgumentParser
import WarrenCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a backup as a plain directory (definitions.json + msg_stores/).",
        discussion: "The directory can be restored by the documented manual procedure, without Warren. DIR must be new or empty.")

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup id.")
    var id: Int64

    @Argument(help: ArgumentHelp("Target directory.", valueName: "dir"))
    var directory: String

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.open()
            let summary = try ProgressLine.run { handler in
                try Exporter(repository: repo).export(id: id, to: directory, progress: handler)
            }
            print(output.json ? try WarrenJSON.string(summary)
                  : "exported backup \(summary.backup) to \(summary.directory): definitions.json + \(summary.files - 1) files, \(ByteCount.format(summary.bytes))")
        }
    }
}
