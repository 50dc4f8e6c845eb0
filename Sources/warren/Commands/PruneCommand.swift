import ArgumentParser
import WarrenCore

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove backups that the retention policy does not keep, and free their objects.",
        discussion: """
            The policy applies per node: the keep flags, else the configuration file's (the
            node's `[node NAME]` section, else its top-level keep-* keys), else the node's
            stored policy, else the stored default (`warren policy set`). With none, prune
            refuses. A backup is kept
            when any rule keeps it; every reason is shown. Always kept: pinned backups, backups
            in progress, and each node's newest viable backup (or, if none was verified, its
            newest). Calendar rules keep the newest backup of each of the N most recent hours,
            days (UTC), ISO weeks, months or years that have one, counting from the newest.

            Catalog rows go first, in one transaction; then the objects no remaining backup
            references are deleted. FREED counts only those (shared objects stay). An
            interrupted prune is finished by the next prune or `warren gc`. On an s3: repository
            it takes the bucket's lock object too (registers on other hosts go on).
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var keep: KeepOptions

    @Option(help: ArgumentHelp("Only this node's backups.", valueName: "name"))
    var node: String?

    @Flag(name: .customLong("dry-run"), help: "Print the plan and what would be freed; change nothing.")
    var dryRun = false

    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let request = PruneRequest(policy: keep.policy, node: node, dryRun: dryRun, configured: Configured.file?.retention)
            let report: PruneReport
            if dryRun {
                report = try Pruner.dryRun(request, in: try repository.openForDryRun())
            } else {
                var pruner = Pruner(repository: try repository.openWriter())
                pruner.lockOptions = lock.options
                report = try pruner.prune(request)
            }
            print(output.json ? try WarrenJSON.string(report) : Self.render(report))
        }
    }

    static func render(_ report: PruneReport) -> String {
        guard !report.backups.isEmpty else {
            return "no backups" + (report.node.map { " of node \($0)" } ?? "") + "; nothing to prune"
        }
        var lines = report.policies.map { applied in
            let source: String
            switch applied.source {
            case .flags: source = "from the command line"
            case .fileNode: source = "[node \(applied.node)] of \(Configured.file?.path ?? "the configuration file")"
            case .fileDefault: source = "default of \(Configured.file?.path ?? "the configuration file")"
            case .node: source = "stored for this node"
            case .default: source = "stored default"
            case .none: source = "no policy: everything is kept"
            }
            return "policy for \(applied.node): \(applied.policy?.summary ?? "none") (\(source))"
        }
        lines.append("")
        var table = Table([
            ("ID", .right), ("NODE", .left), ("TAKEN AT", .left), ("STATE", .left), ("VERDICT", .left),
            ("ACTION", .left), ("REASONS", .left),
        ])
        for b in report.backups {
            table.add([
                String(b.id), b.node, b.takenAt, b.state.rawValue, b.lastVerdict?.rawValue ?? "unverified",
                b.keep ? "keep" : "REMOVE", b.reasons.joined(separator: ", "),
            ])
        }
        lines.append(table.render())
        lines.append("")
        let freed = "\(ByteCount.format(report.freedBytes)) in \(report.freedObjects) objects"
        if report.dryRun {
            lines.append("dry run: would keep \(report.keptCount) and remove \(report.removedCount) backups, freeing \(freed); nothing was changed")
        } else {
            lines.append("kept \(report.keptCount), removed \(report.removedCount) backups; freed \(freed)")
        }
        if report.removedTemporaryFiles > 0 {
            lines.append((report.dryRun ? "would remove " : "removed ") + "\(report.removedTemporaryFiles) stale files from tmp/")
        }
        return lines.joined(separator: "\n")
    }
}
