import ArgumentParser
import WarrenCore

struct ScheduleRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a schedule (its backups and run history stay).")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var service: SocketOptions

    @Argument(help: "Schedule id (see `warren schedule list`).")
    var id: Int64

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            if let socket = service.socket {
                _ = try ServiceClient(socket: socket).request(.DELETE, "/v1/schedules/\(id)")
            } else {
                try ScheduleStore(catalog: try repository.open().catalog).remove(id: id)
            }
            if output.json {
                struct Removed: Encodable { var removed: Int64 }
                print(try WarrenJSON.string(Removed(removed: id)))
            } else {
                print("removed schedule \(id)")
            }
        }
    }
}
