import ArgumentParser
import WarrenCore

struct CatalogRebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Recreate catalog.sqlite from the repository alone (manifests and tombstones).",
        discussion: """
            Reads every backup manifest under manifests/, leaves out backups whose deletion
            began (tombstones/), and writes a new catalog in tmp/ that is then renamed into
            place. Use it when catalog.sqlite is lost or damaged. A catalog that opens and passes
            SQLite's integrity_check is only replaced with --force (it is kept as
            catalog.sqlite.before-rebuild). --output FILE writes the rebuilt catalog elsewhere
            (e.g. to compare it with the live one) and leaves the repository's catalog alone.
            Pins, last verdicts and stored policies come back from state/; failed backups, the
            verification and restore history, schedules and deletion records do not (the output
            lists them). Takes the repository lock. Exit 0 when every manifest was read, 1 when some were
            damaged (their backups are missing from the new catalog; see `warren check`).
            On an s3: repository it rebuilds this host's cache of the catalog from the bucket's
            manifests and state documents (the restore history, this host's own, is not kept).
            """)

    @OptionGroup var repository: RepositoryOptions

    @Option(name: .long, help: ArgumentHelp("Write the rebuilt catalog to this file instead of the repository's catalog.sqlite.", valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "Replace a healthy catalog (or an existing --output file).")
    var force = false

    @OptionGroup var lock: LockOptions
    @OptionGroup var format: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: format.json) {
            let report: CatalogRebuilder.Report
            if case let .s3(location) = try RepositoryAddress.parse(repository.location),
               let connection = try repository.s3Connection() {
                report = try ProgressLine.run {
                    try CatalogRebuilder.rebuildCache(of: location, connection: connection, output: output, force: force,
                                                      lockOptions: lock.options, password: repository.password, progress: $0)
                }
            } else {
                // The service holds the catalog open: a file renamed over it would go unseen.
                if output == nil { try ServiceMarker.refuseIfServing(repository: try repository.path) }
                var rebuilder = CatalogRebuilder(repositoryPath: try repository.path, output: output, force: force)
                rebuilder.lockOptions = lock.options
                report = try ProgressLine.run { try rebuilder.rebuild(password: repository.password, progress: $0) }
            }
            print(format.json ? try WarrenJSON.string(report) : Self.render(report))
            if !report.unreadable.isEmpty { throw ExitCode(1) }
        }
    }

    static func render(_ r: CatalogRebuilder.Report) -> String {
        var lines = ["rebuilt \(r.catalog): \(r.backups) backups, \(r.files) files"]
        if !r.deleted.isEmpty { lines.append("left out \(r.deleted.count) deleted backups (tombstones): \(r.deleted.map(String.init).joined(separator: ", "))") }
        if let previous = r.previousCatalog { lines.append("the previous catalog was kept as \(previous)") }
        for damage in r.unreadable { lines.append("!! \(damage)") }
        if !r.notRebuilt.isEmpty {
            lines.append("not in the repository, so not brought back:")
            lines += r.notRebuilt.map { "  - " + $0.detail }
        }
        return lines.joined(separator: "\n")
    }
}
