import ArgumentParser
import WarrenCore

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a backup of a running node (definitions + msg_stores).",
        discussion: """
            Steps: pre-hook; record the broker's version and per-queue message counts; export
            definitions; find the node directory; with --stop-app stop the broker app (it is
            always started again, also on failure, Ctrl-C or SIGKILL: a guard process started
            before stop_app runs start_app if warren dies); store msg_stores (without the
            transient store) in one pass; post-hook, whatever happened. Before stopping, the
            broker's queues and exchanges are listed and what stop_app drops is printed
            (transient messages, non-durable, exclusive and auto-delete queues, non-durable
            exchanges); --refuse-loss aborts instead.

            Files unchanged since the node's previous backup (same size, mtime, ctime and
            inode) are taken from it without being read; --rehash reads everything.
            Hooks run with /bin/sh -c and see WARREN_NODE, WARREN_PHASE, WARREN_REPO,
            WARREN_LABEL, and after the backup WARREN_OUTCOME, WARREN_BACKUP_ID and
            WARREN_ERROR (the failure's message, empty after a success). Without --pre-hook or
            --post-hook, the configuration file's pre-hook and post-hook run; '' runs none.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The node, as rabbitmqctl -n takes it (e.g. rabbit@mq1).", valueName: "name"))
    var node: String

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("The node directory (default: asked of the node).", valueName: "dir"))
    var dataDir: String?

    @Flag(name: .customLong("stop-app"), help: "Stop the broker app during the copy, for a consistent backup.")
    var stopApp = false

    @Flag(name: .customLong("refuse-loss"), help: "With --stop-app: refuse, before stopping, when stopping would drop transient messages, non-durable, exclusive or auto-delete queues, or non-durable exchanges (exit 14).")
    var refuseLoss = false

    @Option(help: ArgumentHelp("Free text shown by list and show.", valueName: "text"))
    var label: String?

    @OptionGroup var hooks: HookOptions

    @Flag(help: "Read every file, even those unchanged since the previous backup.")
    var rehash = false

    @OptionGroup var ctl: RabbitmqctlOptions

    @OptionGroup var broker: BrokerOptions

    @OptionGroup var lock: LockOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.openWriter()
            Interrupt.install()
            var request = BackupRequest(node: node, dataDirectory: dataDir, stopApp: stopApp, label: label,
                                        preHook: hooks.configuredPreHook, postHook: hooks.configuredPostHook, rehash: rehash, rabbitmqctl: ctl.rabbitmqctl)
            request.brokerTimeouts = broker.timeouts
            var runner = BackupRunner(repository: repo, checkInterrupted: TestHold.wrap(Interrupt.check), lockOptions: lock.options(repository: repo.path))
            runner.guardLauncher = GuardLauncher.current
            request.refuseLoss = refuseLoss
            let stopping = stopApp, refusing = refuseLoss
            request.onSurvey = { survey in
                // Said before the app is stopped, on stderr (stdout stays the id or the JSON).
                guard stopping, !refusing, !survey.losses.isEmpty else { return }
                Terminal.warning("stopping the app drops what no backup can hold:\n" + survey.losses.map { "  " + $0.sentence }.joined(separator: "\n"))
            }
            let phases = PhaseTimes()
            runner.onTimings = phases.handler
            let id = try ProgressLine.run { handler in
                try runner.run(request, progress: handler)
            }
            phases.print()
            print(output.json ? try WarrenJSON.string(try BackupOutcome.load(id: id, catalog: repo.catalog)) : String(id))
        }
    }
}
