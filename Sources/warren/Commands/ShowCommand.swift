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
            var encryption: RepositoryEncryption?
            if let socket = service.socket {
                detail = try ServiceClient(socket: socket).get(BackupDetail.self, "/v1/backups/\(id)")
            } else {
                let repo = try repository.open()
                detail = try CatalogQueries(catalog: repo.catalog).detail(id: id)
                encryption = repo.encryption
            }
            if output.json {
                print(try WarrenJSON.string(detail))
            } else {
                print(ShowRenderer.render(detail))
                if let encryption { print("encryption: \(encryption)") }
            }
        }
    }
}
