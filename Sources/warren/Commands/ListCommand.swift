import ArgumentParser
import WarrenCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show backup history, newest first.",
        discussion: """
            The default columns fit 80 columns; --wide shows them all. VERDICT is the state
            instead when a backup is not complete; PIN marks a pinned backup with *.
            SIZE is the sum of the backup's files; ADDED is what it added to the repository
            (the rest was already stored). MESSAGES is the persistent messages the stored index
            files hold (what a restore brings back). DEFS is the start of the definitions' SHA-256.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("Only backups of this node.", valueName: "name"))
    var node: String?

    @Option(help: ArgumentHelp("At most this many backups.", valueName: "n"))
    var limit: Int?

    @Flag(help: "Show every column (state, version, counts, added bytes, definitions checksum, label); the default fits 80 columns.")
    var wide = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var service: SocketOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let backups: [BackupSummary]
            let source: String
            var encryption: RepositoryEncryption?
            if let socket = service.socket {
                backups = try ServiceClient(socket: socket).list(node: node, limit: limit)
                source = "the service at \(socket)"
            } else {
                let repo = try repository.open()
                backups = try CatalogQueries(catalog: repo.catalog).list(node: node, limit: limit)
                source = repo.location
                encryption = repo.encryption
            }
            if output.json {
                print(try WarrenJSON.string(backups))
                return
            }
            if backups.isEmpty {
                print("no backups" + (node.map { " of node \($0)" } ?? "") + " in \(source)")
            } else {
                print(wide ? Self.wideTable(backups) : Self.compactTable(backups))
            }
            if let encryption { print("encryption: \(encryption)") }
        }
    }

    /// ID, time (to the minute, UTC), node, size, messages, verdict, pin: fits 80 columns
    /// (the node is cut with … when it would not).
    static func compactTable(_ backups: [BackupSummary]) -> String {
        var table = Table([
            ("ID", .right), ("TAKEN AT (UTC)", .left), ("NODE", .left), ("SIZE", .right), ("MESSAGES", .right),
            ("VERDICT", .left), ("PIN", .left),
        ])
        for b in backups {
            let taken = String(b.takenAt.prefix(16)).replacingOccurrences(of: "T", with: " ")
            let verdict = b.state == .complete ? (b.lastVerdict?.rawValue ?? "unverified") : b.state.rawValue
            table.add([
                String(b.id), taken, b.node, ByteCount.format(b.logicalBytes), b.messageCount.map(String.init) ?? "-",
                verdict, b.pinned ? "*" : "",
            ])
        }
        return table.render(maxWidth: Table.defaultWidth, shrinking: 2)
    }

    static func wideTable(_ backups: [BackupSummary]) -> String {
        var table = Table([
            ("ID", .right), ("TAKEN AT", .left), ("NODE", .left), ("STATE", .left), ("VERSION", .left),
            ("VHOSTS", .right), ("QUEUES", .right), ("FILES", .right), ("SIZE", .right), ("ADDED", .right),
            ("MESSAGES", .right), ("DEFS", .left), ("VERDICT", .left), ("PIN", .left), ("LABEL", .left),
        ])
        for b in backups {
            table.add([
                String(b.id), b.takenAt, b.node, b.state.rawValue, b.brokerVersion ?? "-", String(b.vhostCount),
                String(b.queueCount), String(b.fileCount), ByteCount.format(b.logicalBytes),
                ByteCount.format(b.addedBytes), b.messageCount.map(String.init) ?? "-", b.definitionsSha256?.short ?? "-",
                b.lastVerdict?.rawValue ?? "unverified", b.pinned ? "pinned" + (b.pinNote.map { ": \($0)" } ?? "") : "", b.label ?? "",
            ])
        }
        return table.render()
    }
}
