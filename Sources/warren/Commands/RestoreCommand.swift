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
               REPO/aside/<time>-backup-<id>/ or --aside-dir (never deleted; see `warren aside`);
            3. import the definitions, and wait until the node has applied them;
            4. stop_app; write msg_stores (no excluded queue, no transient store), owned like
               the node directory; start_app (always, also on failure or Ctrl-C);
            5. compare each queue's message count with the count recorded at backup time.

            Excluded queues keep their definitions and come back empty: the way to keep
            messages such as e-mail notifications from being replayed.
            Each step is recorded first in REPO/journal/restore-<node>.json. If warren dies, a
            guard starts the app again, and the next backup or restore of that node (and
            `warren check`) reports the interrupted restore (exit 13) until --resume finishes
            it or --rollback puts the moved-aside data back.

            Exit: 0 restored with every count; 1 a queue came back with fewer messages;
            9 refused (nothing changed); 10 a step failed (the message says what was done);
            12 a rabbitmqctl step timed out; 13 an interrupted restore is recorded for the node;
            130 interrupted (SIGINT/SIGTERM).
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup id (not with --resume or --rollback).")
    var id: Int64?

    @Option(help: ArgumentHelp("The target node, as rabbitmqctl -n takes it.", valueName: "name"))
    var node: String

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("The target node directory (default: asked of the node).", valueName: "dir"))
    var dataDir: String?

    @OptionGroup var exclusions: ExclusionOptions

    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing.")
    var dryRun = false

    @Flag(name: .customLong("replace-vhost-data"), help: "Move existing target data of the restored vhosts aside instead of refusing.")
    var replaceVhostData = false

    @Flag(help: "Finish the interrupted restore recorded for --node: the same backup, with what its vhosts hold now moved aside.")
    var resume = false

    @Flag(help: "Undo the interrupted restore recorded for --node: put the moved-aside data back (the written vhosts are moved aside).")
    var rollback = false

    @OptionGroup var aside: AsideOptions

    @OptionGroup var broker: BrokerOptions

    @OptionGroup var ctl: RabbitmqctlOptions

    @OptionGroup var lock: LockOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if resume && rollback { throw ValidationError("--resume and --rollback exclude each other") }
        if (resume || rollback) && id != nil { throw ValidationError("--resume and --rollback take the backup from the node's journal: give no ID") }
        if !(resume || rollback) && id == nil { throw ValidationError("missing backup ID (or --resume / --rollback)") }
        if rollback && dryRun { throw ValidationError("--rollback has no --dry-run") }
    }

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.openWriter()
            Interrupt.install()
            if rollback {
                let done = try RestoreRecovery(repository: repo).rollback(
                    node: node, rabbitmqctl: ctl.rabbitmqctl, timeouts: broker.timeouts, guardLauncher: GuardLauncher.current, lockOptions: lock.options(repository: repo.path))
                print(output.json ? try WarrenJSON.string(done) : RestoreRenderer.render(done))
                return
            }
            var request: RestoreRequest
            if resume {
                request = try RestoreRecovery(repository: repo).resumeRequest(node: node, rabbitmqctl: ctl.rabbitmqctl, timeouts: broker.timeouts)
                request.dryRun = dryRun
            } else {
                request = RestoreRequest(
                    backupID: id!, node: node, dataDirectory: dataDir,
                    exclusions: exclusions.exclusions,
                    dryRun: dryRun, replaceVhostData: replaceVhostData, rabbitmqctl: ctl.rabbitmqctl,
                    asideBase: aside.asideDir, brokerTimeouts: broker.timeouts)
            }
            var runner = RestoreRunner(repository: repo, checkInterrupted: TestHold.wrap(Interrupt.check), lockOptions: lock.options(repository: repo.path))
            runner.guardLauncher = GuardLauncher.current
            let result = try ProgressLine.run { handler in
                try runner.run(request, progress: handler)
            }
            print(output.json ? try WarrenJSON.string(result) : RestoreRenderer.render(result))
            if result.outcome == "short" { throw ExitCode(1) }
        }
    }
}
