import ArgumentParser
import WarrenCore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one backup: summary, vhosts and queues.",
        discussion: """
            Stored data the broker would not load is marked with !!: a queue directory with no
            queue definition is deleted by the broker at start.
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Backup id (see `warren list`).")
    var id: Int64

    @OptionGroup var output: OutputOptions
    @OptionGroup var service: SocketOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let detail: BackupDetail
            if let socket = service.socket {
                detail = try ServiceClient(socket: socket).get(BackupDetail.self, "/v1/backups/\(id)")
            } else {
                detail = try CatalogQueries(catalog: try repository.open().catalog).detail(id: id)
            }
            if output.json {
                print(try WarrenJSON.string(detail))
            } else {
                print(ShowRenderer.render(detail))
            }
        }
    }
}
