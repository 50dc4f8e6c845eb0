import ArgumentParser
import Foundation
import WarrenCore

struct ScheduleAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a schedule.",
        discussion: """
            --at takes a calendar time in the spirit of systemd's OnCalendar=: 02:30 (daily),
            'Mon..Fri 02:30', 'Sat,Sun 04:00:15', '*:15' (hourly at minute 15), hourly, daily
            (00:00) or weekly (Mon 00:00), with an optional time zone ('02:30 UTC'; default: the
            service's local time). --jitter delays each run by a random time up to that long.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var service: SocketOptions

    @Option(help: ArgumentHelp("The node, as rabbitmqctl -n takes it.", valueName: "name"))
    var node: String

    @Option(help: ArgumentHelp("Interval: 30s, 15m, 6h, 1d, or e.g. 1h30m.", valueName: "duration"))
    var every: String?

    @Option(help: ArgumentHelp("Calendar time: 02:30, 'Mon..Fri 02:30', '*:15', daily, weekly (see below).", valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp("Start each run up to this much later, at random (e.g. 15m); less than the period.", valueName: "duration"))
    var jitter: String?

    @Flag(name: .customLong("stop-app"), help: "Stop the broker app during the copy (as `backup --stop-app`).")
    var stopApp = false

    @Option(help: ArgumentHelp("Label of the backups taken.", valueName: "text"))
    var label: String?

    @OptionGroup var hooks: HookOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        try CommandRunner.run(json: output.json) {
            let request = ScheduleRequest(node: node, every: every, at: at, jitter: jitter, stopApp: stopApp, label: label,
                                          preHook: hooks.preHook, postHook: hooks.postHook)
            let schedule: Schedule
            if let socket = service.socket {
                if hooks.preHook != nil || hooks.postHook != nil {
                    throw WarrenError.invalidArgument(name: hooks.preHook != nil ? "--pre-hook" : "--post-hook", reason: "hooks are not taken over --socket (the service never runs a command a client sent): add this schedule without --socket (or with --socket '' when the configuration file sets socket)")
                }
                _ = try request.validate()
                struct Body: Encodable { var node: String; var every, at, jitter: String?; var stopApp: Bool; var label: String? }
                let body = try WarrenJSON.encoder().encode(Body(node: node, every: every, at: at, jitter: jitter, stopApp: stopApp, label: label))
                schedule = try ServiceClient.decode(Schedule.self, try ServiceClient(socket: socket).request(.POST, "/v1/schedules", body: body))
            } else {
                schedule = try ScheduleStore(catalog: try repository.open().catalog).add(request)
            }
            let when = schedule.at.map { "at \($0)" } ?? "every \(every ?? "")"
            print(output.json ? try WarrenJSON.string(schedule)
                  : "added schedule \(schedule.id): back up \(node) \(when); next run \(schedule.nextRunAt)")
        }
    }
}
