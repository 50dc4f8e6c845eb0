import ArgumentParser
import WarrenCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Reconcile the catalog with the repository.",
        discussion: """
            Reports objects that backups reference but that are missing (or of the wrong size),
            objects that nothing references (remove them with `warren gc`), interrupted
            deletions, backups left in progress by a crashed writer (marked failed, which needs
            the repository lock; --dry-run only reports), the schema version, and SQLite's
            integrity_check. Exit 0 when clean, 1 when it found problems. On an s3: repository
            it checks the bucket's objects (one listing) against this host's catalog cache, and
            repairing takes the bucket's lock object too.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .customLong("dry-run"), help: "Only report: take no lock, mark nothing failed.")
    var dryRun = false

    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let report: CheckReport
            if dryRun {
                report = try RepositoryChecker.dryRun(in: try repository.openForDryRun())
            } else {
                var checker = RepositoryChecker(repository: try repository.openWriter())
                checker.lockOptions = lock.options
                report = try checker.check()
            }
            print(output.json ? try WarrenJSON.string(report) : Self.render(report))
            if !report.clean { throw ExitCode(1) }
        }
    }

    static func render(_ r: CheckReport) -> String {
        var lines = [
            "schema         \(r.schema.applied.last ?? "none") (\(r.schema.applied.count) migrations applied\(r.schema.current ? "" : "; this binary knows \(r.schema.known.count)"))",
            "integrity      \(r.integrity.first ?? "?")\(r.integrity.count > 1 ? " (+\(r.integrity.count - 1) more)" : "")",
            "objects        \(r.referencedObjects) referenced, \(r.storedObjects) stored",
            "encryption     \(r.encryption?.description ?? "unknown (config unreadable)")",
        ]
        if !r.findings.isEmpty {
            lines.append("")
            for f in r.findings {
                let mark = f.severity == .error ? "!!" : f.severity == .warning ? "! " : "  "
                lines.append("\(mark) \(f.code): \(f.message)" + (f.fixed ? " [fixed]" : ""))
                if let fix = f.fix { lines.append("     fix: \(fix)") }
            }
        }
        lines.append("")
        lines.append(r.clean ? "clean" : "problems found")
        return lines.joined(separator: "\n")
    }
}
