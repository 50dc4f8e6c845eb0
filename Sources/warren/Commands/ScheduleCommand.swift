import ArgumentParser
import WarrenCore

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Scheduled backups, taken by `warren serve`: backup, verify the new backup, prune per policy.",
        discussion: """
            Schedules are stored in the catalog. While `warren serve` runs, each due schedule
            takes a backup, verifies it, then applies the node's stored retention policy (or
            the default; none: nothing is pruned), and records the outcome (see `list`). A
            schedule missed while the service was down runs once at start.
            """,
        subcommands: [ScheduleAddCommand.self, ScheduleListCommand.self, ScheduleRemoveCommand.self])
}

struct ScheduleAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a schedule.")

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The node, as rabbitmqctl -n takes it.", valueName: "name"))
    var node: String

    @Option(help: ArgumentHelp("Interval: 30s, 15m, 6h, 1d, or e.g. 1h30m.", valueName: "duration"))
    var every: String

    @Flag(name: .customLong("stop-app"), help: "Stop the broker app during the copy (as `backup --stop-app`).")
    var stopApp = false

    @Option(help: ArgumentHelp("Label of the backups taken.", valueName: "text"))
    var label: String?

    @Option(name: .customLong("pre-hook"), help: ArgumentHelp("As `backup --pre-hook`.", valueName: "cmd"))
    var preHook: String?

    @Option(name: .customLong("post-hook"), help: ArgumentHelp("As `backup --post-hook`.", valueName: "cmd"))
    var postHook: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard ScheduleInterval.seconds(every) != nil else {
            throw ValidationError("--every '\(every)' is not an interval such as 30s, 15m, 6h, 1d or 1h30m (at most a year)")
        }
    }

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let repo = try repository.open()
            let schedule = try ScheduleStore(catalog: repo.catalog).add(
                node: node, everySeconds: ScheduleInterval.seconds(every)!, stopApp: stopApp, label: label, preHook: preHook, postHook: postHook)
            print(output.json ? try WarrenJSON.string(schedule) : "added schedule \(schedule.id): back up \(node) every \(every)")
        }
    }
}

struct ScheduleListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show schedules and the outcome of their last run.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let schedules = try ScheduleStore(catalog: try repository.open().catalog).list()
            if output.json {
                print(try WarrenJSON.string(schedules))
                return
            }
            guard !schedules.isEmpty else {
                print("no schedules (add one with `warren schedule add --node NAME --every 1d`)")
                return
            }
            var table = Table([
                ("ID", .right), ("NODE", .left), ("EVERY", .right), ("RUNS", .right), ("LAST RUN", .left), ("OUTCOME", .left),
                ("BACKUP", .right), ("VERDICT", .left), ("REMOVED", .right), ("ERROR", .left),
            ])
            for s in schedules {
                table.add([
                    String(s.id), s.node, "\(s.everySeconds)s", String(s.runCount), s.lastRunAt ?? "never", s.lastOutcome ?? "-",
                    s.lastBackupId.map(String.init) ?? "-", s.lastVerdict ?? "-", s.lastRemoved.map(String.init) ?? "-",
                    s.lastError.map { String($0.prefix(60)) } ?? "",
                ])
            }
            print(table.render())
        }
    }
}

struct ScheduleRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a schedule (its backups stay).")

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Schedule id (see `warren schedule list`).")
    var id: Int64

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let removed = try ScheduleStore(catalog: try repository.open().catalog).remove(id: id)
            guard removed else { throw WarrenError.invalidArgument(name: "schedule", reason: "no schedule with id \(id)") }
            if output.json {
                struct Removed: Encodable { var removed: Int64 }
                print(try WarrenJSON.string(Removed(removed: id)))
            } else {
                print("removed schedule \(id)")
            }
        }
    }
}
