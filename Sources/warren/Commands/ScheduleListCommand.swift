import ArgumentParser
import WarrenCore

struct ScheduleListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show schedules, their next run and their latest runs.")

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var service: SocketOptions

    @Option(help: ArgumentHelp("How many of each schedule's latest runs to show (0-1000).", valueName: "n"))
    var runs = 5

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func validate() throws {
        guard (0...1000).contains(runs) else { throw ValidationError("--runs must be from 0 to 1000") }
    }

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let schedules: [Schedule]
            if let socket = service.socket {
                schedules = try ServiceClient(socket: socket).get([Schedule].self, "/v1/schedules?runs=\(runs)")
            } else {
                schedules = try ScheduleStore(catalog: try repository.open().catalog).list(runs: runs)
            }
            print(output.json ? try WarrenJSON.string(schedules) : ScheduleRenderer.render(schedules))
        }
    }
}
