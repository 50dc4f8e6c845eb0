import ArgumentParser
import WarrenCore

/// `warren forget ID... [--dry-run] [--force]`: deletes chosen backups, like restic's
/// `forget ID` and Barman's `delete`.
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Delete the given backups and free the objects no other backup uses.",
        discussion: """
            The same crash-safe deletion as `prune`: catalog rows go first, in one transaction,
            then the objects no remaining backup references. A pinned backup is refused unless
            --force; an unknown id refuses the whole command. Nothing is deleted on a refusal.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup ids (see `warren list`).")
    var ids: [Int64]

    @Flag(name: .customLong("dry-run"), help: "Show what would be deleted and freed; change nothing.")
    var dryRun = false

    @Flag(help: "Delete pinned backups too.")
    var force = false

    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let report: ForgetReport
            if dryRun {
                report = try Forgetter.dryRun(ids: ids, force: force, in: try repository.openForDryRun())
            } else {
                var forgetter = Forgetter(repository: try repository.openWriter())
                forgetter.lockOptions = lock.options
                report = try forgetter.forget(ids: ids, force: force)
            }
            print(output.json ? try WarrenJSON.string(report) : Self.render(report))
        }
    }

    static func render(_ report: ForgetReport) -> String {
        var table = Table([("ID", .right), ("NODE", .left), ("TAKEN AT", .left), ("PIN", .left), ("LABEL", .left)])
        for b in report.backups {
            table.add([String(b.id), b.node, b.takenAt, b.pinned ? "pinned" : "", b.label ?? ""])
        }
        let freed = "\(ByteCount.format(report.freedBytes)) in \(report.freedObjects) objects"
        let summary = report.dryRun
            ? "dry run: would delete \(report.backups.count) backups, freeing \(freed); nothing was changed"
            : "deleted \(report.backups.count) backups; freed \(freed)"
        return table.render() + "\n\n" + summary
    }
}
