import ArgumentParser
import WarrenCore

struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete objects that no backup references, and stale temporary files.",
        discussion: """
            Finishes deletions an interrupted prune left, deletes every object file referenced by
            no backup (left by failed or interrupted writers), brings the object table in line
            with objects/, and removes files in tmp/ left by crashed writers. Files under
            objects/ that are not objects are reported and left alone. Takes the repository lock.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .customLong("dry-run"), help: "Report what would be deleted; change nothing.")
    var dryRun = false

    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let report: GCReport
            if dryRun {
                report = try GarbageCollector.dryRun(in: ReadOnlyRepository.openForDryRun(at: repository.path, password: repository.password))
            } else {
                var collector = GarbageCollector(repository: try repository.openWriter())
                collector.lockOptions = lock.options
                report = try collector.collect()
            }
            print(output.json ? try WarrenJSON.string(report) : Self.render(report))
        }
    }

    static func render(_ r: GCReport) -> String {
        let verb = r.dryRun ? "would free" : "freed"
        var lines = ["\(verb) \(ByteCount.format(r.freedBytes)) in \(r.freedObjects) unreferenced objects"]
        if r.removedTemporaryFiles > 0 {
            lines.append((r.dryRun ? "would remove " : "removed ") + "\(r.removedTemporaryFiles) stale files from tmp/ (\(ByteCount.format(r.removedTemporaryBytes)))")
        }
        if r.objectRowsAdded + r.objectRowsRemoved > 0 {
            lines.append((r.dryRun ? "would fix " : "fixed ") + "the object table: \(r.objectRowsAdded) rows added, \(r.objectRowsRemoved) removed")
        }
        if !r.unexpectedFiles.isEmpty {
            lines.append("left alone: \(r.unexpectedFiles.count) files under objects/ that are not objects, e.g. \(r.unexpectedFiles[0])")
        }
        if r.dryRun { lines.append("dry run: nothing was changed") }
        return lines.joined(separator: "\n")
    }
}
