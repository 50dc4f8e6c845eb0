import ArgumentParser
import WarrenCore

/// `warren ls ID [--vhost V] [--queue Q]`: a backup's file manifest, like `restic ls`.
struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the files of a backup's msg_stores/ (its manifest).",
        discussion: """
            Paths are relative to msg_stores/. SHA256 is the start of the content's digest (its
            object in the repository). --vhost and --queue keep only that vhost's or queue's files.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup id (see `warren list`).")
    var id: Int64

    @Option(help: ArgumentHelp("Only files of this vhost.", valueName: "name"))
    var vhost: String?

    @Option(help: ArgumentHelp("Only files of queues with this name.", valueName: "name"))
    var queue: String?

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let files = try CatalogQueries(catalog: try repository.open().catalog).manifest(id: id, vhost: vhost, queue: queue)
            if output.json {
                print(try WarrenJSON.string(files))
                return
            }
            var table = Table([("SIZE", .right), ("SHA256", .left), ("KIND", .left), ("PATH", .left)])
            for f in files {
                table.add([ByteCount.format(f.size), String(f.sha256.prefix(12)), f.kind, f.path])
            }
            if !files.isEmpty { print(table.render()) }
            let total = files.reduce(Int64(0)) { $0 + $1.size }
            let scope = [vhost.map { "vhost \($0)" }, queue.map { "queue \($0)" }].compactMap { $0 }.joined(separator: ", ")
            print("\(files.count) files, \(ByteCount.format(total))" + (scope.isEmpty ? "" : " (\(scope))"))
        }
    }
}
