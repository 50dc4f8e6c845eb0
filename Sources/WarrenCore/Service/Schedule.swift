import Foundation
import GRDB

/// A scheduled backup (`warren schedule add`), run by `warren serve`: backup, then verify
/// the new backup, then prune per the stored policy. It runs every `everySeconds`, or at the
/// calendar time `at` (a ``CalendarSpec``), each run delayed by a random part of `jitterSeconds`.
public struct Schedule: Sendable, Codable, Equatable {
    public var id: Int64
    public var node: String
    /// The interval; nil for a calendar schedule.
    public var everySeconds: Int64?
    /// The calendar time (``CalendarSpec/text``); nil for an interval schedule.
    public var at: String?
    /// Each run starts up to this many seconds after its slot (chosen at random once per slot).
    public var jitterSeconds: Int64
    public var stopApp: Bool
    public var label: String?
    public var preHook: String?
    public var postHook: String?
    public var createdAt: String
    /// When the next run starts (slot plus its jitter).
    public var nextRunAt: String
    public var lastRunAt: String?
    /// nil before the first run.
    public var lastOutcome: ScheduleOutcome?
    public var lastBackupId: Int64?
    public var lastVerdict: Verdict?
    public var lastRemoved: Int?
    public var lastError: String?
    /// Runs recorded so far.
    public var runCount: Int
    /// The latest runs, newest first (as many as asked for).
    public var runs: [ScheduleRun]
    /// The configuration file and line that declare it (`/etc/warren/warren.conf:12`); nil
    /// for a schedule made by `schedule add` or the API.
    public var origin: String?

    init(row: Row, runs: [ScheduleRun]) {
        id = row["id"]
        node = row["node"]
        everySeconds = row["every_seconds"]
        at = row["calendar"]
        jitterSeconds = row["jitter_seconds"] ?? 0
        stopApp = row["stop_app"]
        label = row["label"]
        preHook = row["pre_hook"]
        postHook = row["post_hook"]
        createdAt = row["created_at"]
        lastRunAt = row["last_run_at"]
        lastOutcome = (row["last_outcome"] as String?).flatMap(ScheduleOutcome.init(rawValue:))
        lastBackupId = row["last_backup_id"]
        lastVerdict = row["last_verdict"]
        lastRemoved = row["last_removed"]
        lastError = row["last_error"]
        runCount = row["run_count"] ?? 0
        self.runs = runs
        origin = row["origin"]
        // Made before next runs were stored: due `every` after the last run, or at once.
        let stored: String? = row["next_run_at"]
        let lastRun: String? = row["last_run_at"], every: Int64? = row["every_seconds"], created: String = row["created_at"]
        let legacy = lastRun.flatMap(Timestamp.parse).map { $0.addingTimeInterval(Double(every ?? 0)) }
            ?? Timestamp.parse(created) ?? Date(timeIntervalSince1970: 0)
        nextRunAt = stored ?? Timestamp.format(legacy)
    }

    /// The calendar time, parsed.
    public var calendar: CalendarSpec? { at.flatMap(CalendarSpec.init) }

    /// Due once its next run time has come. A service that was down for several slots finds
    /// the schedule due once, not once per missed slot.
    public func isDue(at now: Date) -> Bool {
        guard let next = Timestamp.parse(nextRunAt) else { return true }
        return next <= now
    }

    /// The slot after `date` (an interval after it, or the calendar's next time), without jitter.
    public func nextSlot(after date: Date, defaultZone: TimeZone) -> Date {
        if let calendar { return calendar.next(after: date, defaultZone: defaultZone) }
        return date.addingTimeInterval(Double(everySeconds ?? 86400))
    }

    /// Every key, null when unset (one rule for every answer, CLI and API alike).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(node, forKey: .node)
        try c.encode(everySeconds, forKey: .everySeconds)
        try c.encode(at, forKey: .at)
        try c.encode(jitterSeconds, forKey: .jitterSeconds)
        try c.encode(stopApp, forKey: .stopApp)
        try c.encode(label, forKey: .label)
        try c.encode(preHook, forKey: .preHook)
        try c.encode(postHook, forKey: .postHook)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(nextRunAt, forKey: .nextRunAt)
        try c.encode(lastRunAt, forKey: .lastRunAt)
        try c.encode(lastOutcome, forKey: .lastOutcome)
        try c.encode(lastBackupId, forKey: .lastBackupId)
        try c.encode(lastVerdict, forKey: .lastVerdict)
        try c.encode(lastRemoved, forKey: .lastRemoved)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(runCount, forKey: .runCount)
        try c.encode(runs, forKey: .runs)
        try c.encode(origin, forKey: .origin)
    }
}
