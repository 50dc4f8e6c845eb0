import ArgumentParser
import WarrenCore

struct RestoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restores",
        abstract: "The restore history: every restore run, newest first.",
        discussion: """
            Outcome is running, succeeded, short (a queue came back with fewer messages), failed,
            refused, or interrupted (left running by a process that is gone; `warren check`
            marks it failed). An interrupted restore with a journal is also reported by
            `warren check` as restore_interrupted until `restore --resume` or `--rollback`.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("Only restores into this node.", valueName: "name"))
    var node: String?

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.open()
            let runs = try RestoreRunSummary.all(repository: repo, node: node)
            if output.json { print(try WarrenJSON.string(runs)); return }
            var table = Table([("ID", .right), ("BACKUP", .right), ("NODE", .left), ("STARTED", .left), ("FINISHED", .left), ("OUTCOME", .left), ("DETAIL", .left)])
            for run in runs {
                table.add([String(run.id), run.backupId.map(String.init) ?? "-", run.node, run.startedAt, run.finishedAt ?? "-",
                           run.outcome.rawValue, String((run.detail ?? "").prefix(80))])
            }
            print(runs.isEmpty ? "no restores" : table.render())
        }
    }
}
