/// A schedule that a configuration file's `[node NAME]` section declares (`every` or `at`).
/// `warren serve` makes the catalog's file schedules match these at start
/// (``ScheduleStore/reconcile(_:now:)``), keeping the run history and next run of each one
/// that did not change.
public struct ConfiguredSchedule: Sendable, Equatable {
    public var request: ScheduleRequest
    /// Where it is declared, for messages (`/etc/warren/warren.conf:12`).
    public var path: String
    public var line: Int

    public init(request: ScheduleRequest, path: String, line: Int) {
        self.request = request
        self.path = path
        self.line = line
    }

    /// `path:line`.
    public var origin: String { "\(path):\(line)" }
}
