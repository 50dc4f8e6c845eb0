import ArgumentParser
import WarrenCore

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a running node, with checks before and after.",
        discussion: """
            1. verify the backup against the target node's version, with the same exclusions
               (not viable: refuse, showing the findings);
            2. refuse if a target vhost that would be written already holds messages (stores
               cannot be merged) unless --replace-vhost-data, which moves that data aside to
               NODE_DIR/warren-aside/<time>-backup-<id>/ (never deleted);
            3. import the definitions, and wait until the node has applied them;
            4. stop_app; write msg_stores (no excluded queue, no transient store), owned like
               the node directory; start_app (always, also on failure or Ctrl-C);
            5. compare each queue's message count with the count recorded at backup time.

            Excluded queues keep their definitions and come back empty: the way to keep
            messages such as e-mail notifications from being replayed.
            Exit: 0 restored with every count; 1 a queue came back with fewer messages;
            9 refused (nothing changed); 10 a step failed (the message says what was done).
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup id.")
    var id: Int64

    @Option(help: ArgumentHelp("The target node, as rabbitmqctl -n takes it.", valueName: "name"))
    var node: String

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("The target node directory (default: asked of the node).", valueName: "dir"))
    var dataDir: String?

    @OptionGroup var exclusions: ExclusionOptions

    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing.")
    var dryRun = false

    @Flag(name: .customLong("replace-vhost-data"), help: "Move existing target data of the restored vhosts aside instead of refusing.")
    var replaceVhostData = false

    @OptionGroup var ctl: RabbitmqctlOptions

    @OptionGroup var lock: LockOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.openWriter()
            Interrupt.install()
            let request = RestoreRequest(
                backupID: id, node: node, dataDirectory: dataDir,
                exclusions: exclusions.exclusions,
                dryRun: dryRun, replaceVhostData: replaceVhostData, rabbitmqctl: ctl.rabbitmqctl)
            let result = try ProgressLine.run { handler in
                try RestoreRunner(repository: repo, checkInterrupted: Interrupt.check, lockOptions: lock.options).run(request, progress: handler)
            }
            print(output.json ? try WarrenJSON.string(result) : RestoreRenderer.render(result))
            if result.outcome == "short" { throw ExitCode(1) }
        }
    }
}
