import ArgumentParser
import WarrenCore

/// The `--keep-*` flags of a retention policy, shared by `prune` and `policy set`.
struct KeepOptions: ParsableArguments {
    @Option(name: .customLong("keep-last"), help: ArgumentHelp("Keep the N newest backups.", valueName: "n"))
    var last: Int?

    @Option(name: .customLong("keep-hourly"), help: ArgumentHelp("Keep the newest backup of each of the N most recent hours that have one.", valueName: "n"))
    var hourly: Int?

    @Option(name: .customLong("keep-daily"), help: ArgumentHelp("… of each of the N most recent days (UTC) that have one.", valueName: "n"))
    var daily: Int?

    @Option(name: .customLong("keep-weekly"), help: ArgumentHelp("… of each of the N most recent ISO weeks that have one.", valueName: "n"))
    var weekly: Int?

    @Option(name: .customLong("keep-monthly"), help: ArgumentHelp("… of each of the N most recent months that have one.", valueName: "n"))
    var monthly: Int?

    @Option(name: .customLong("keep-yearly"), help: ArgumentHelp("… of each of the N most recent years that have one.", valueName: "n"))
    var yearly: Int?

    @Option(name: .customLong("keep-within"), help: ArgumentHelp(
        "Keep every backup taken less than this before the node's newest, e.g. 14d, 36h, 2w, 1y6m.", valueName: "duration"))
    var within: String?

    func validate() throws {
        for (name, value) in [("last", last), ("hourly", hourly), ("daily", daily), ("weekly", weekly), ("monthly", monthly), ("yearly", yearly)] {
            if let value, value < 1 { throw ValidationError("--keep-\(name) must be >= 1 (got \(value))") }
        }
        if let within, RetentionDuration(within) == nil {
            throw ValidationError("--keep-within '\(within)' is not a duration such as 14d, 36h, 2w or 1y6m (units y, m, w, d, h in that order)")
        }
    }

    var policy: RetentionPolicy {
        RetentionPolicy(
            keepLast: last, keepHourly: hourly, keepDaily: daily, keepWeekly: weekly, keepMonthly: monthly,
            keepYearly: yearly, keepWithin: within.flatMap(RetentionDuration.init))
    }
}
