import ArgumentParser
import WarrenCore

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Scheduled backups, taken by `warren serve`: backup, verify the new backup, prune per policy.",
        discussion: """
            Schedules are stored in the catalog. While `warren serve` runs, each due schedule
            takes a backup, verifies it, then applies the node's stored retention policy (or
            the default; none: nothing is pruned), and records the outcome (see `list`). A
            schedule runs every interval (--every) or at a calendar time (--at), each run up to
            --jitter late. A schedule missed while the service was down runs once at start.
            With --socket, the commands go through the service's API.
            """,
        subcommands: [ScheduleAddCommand.self, ScheduleListCommand.self, ScheduleRemoveCommand.self])
}
