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
            objects/ that are not objects are reported and left alone. Takes the repository lock
            (on an s3: repository, the bucket's lock object too). On an s3: repository an
            unreferenced object younger than --safety-window is kept: a register on another host
            uploads its objects before its manifest names them.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Flag(name: .customLong("dry-run"), help: "Report what would be deleted; change nothing.")
    var dryRun = false

    @Option(name: .customLong("safety-window"), help: ArgumentHelp(
        "s3: repositories: keep unreferenced objects younger than this many seconds (default 3600).", valueName: "seconds"))
    var safetyWindow: Double = GarbageCollector.defaultSafetyWindow

    func validate() throws {
        if !(safetyWindow >= 0 && safetyWindow.isFinite) { throw ValidationError("--safety-window must be 0 or more seconds") }
    }

    @OptionGroup var lock: LockOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let report: GCReport
            if dryRun {
                report = try GarbageCollector.dryRun(in: try repository.openForDryRun(), safetyWindow: safetyWindow)
            } else {
                var collector = GarbageCollector(repository: try repository.openWriter())
                collector.lockOptions = lock.options
                collector.safetyWindow = safetyWindow
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
        if r.youngObjectsKept > 0 {
            lines.append("kept \(r.youngObjectsKept) unreferenced objects younger than the safety window (another host may be uploading them)")
        }
        if !r.unexpectedFiles.isEmpty {
            lines.append("left alone: \(r.unexpectedFiles.count) files under objects/ that are not objects, e.g. \(r.unexpectedFiles[0])")
        }
        if r.dryRun { lines.append("dry run: nothing was changed") }
        return lines.joined(separator: "\n")
    }
}
