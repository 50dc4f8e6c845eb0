import Foundation
import GRDB

/// The schedules in the catalog, their next runs and their history. The clock is the
/// caller's (`now`), and the time zone and the random jitter are injected, so that tests
/// never wait for wall time.
public struct ScheduleStore: Sendable {
    public let catalog: Catalog
    /// The zone of calendar times that name none (the service's local time zone).
    public var timeZone: TimeZone
    /// A random delay in `0..<jitter` seconds (jitter > 0).
    public var randomDelay: @Sendable (Int64) -> Int64

    public init(catalog: Catalog, timeZone: TimeZone = .current,
                randomDelay: @escaping @Sendable (Int64) -> Int64 = { Int64.random(in: 0..<$0) }) {
        self.catalog = catalog
        self.timeZone = timeZone
        self.randomDelay = randomDelay
    }

    /// Every schedule, with its `runs` latest runs.
    public func list(runs: Int = 5) throws -> [Schedule] {
        try CatalogAccess.read(catalog) { db in
            try Row.fetchAll(db, sql: "SELECT s.*, (SELECT COUNT(*) FROM schedule_run r WHERE r.schedule_id = s.id) AS run_count FROM schedule s ORDER BY s.id")
                .map { Schedule(row: $0, runs: try Self.runs(db, scheduleID: $0["id"], limit: runs)) }
        }
    }

    /// One schedule, with its `runs` latest runs.
    /// - Throws: ``WarrenError/scheduleNotFound(id:)``.
    public func get(id: Int64, runs: Int = 5) throws -> Schedule {
        try CatalogAccess.read(catalog) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT s.*, (SELECT COUNT(*) FROM schedule_run r WHERE r.schedule_id = s.id) AS run_count FROM schedule s WHERE s.id = ?", arguments: [id]) else {
                throw WarrenError.scheduleNotFound(id: id)
            }
            return Schedule(row: row, runs: try Self.runs(db, scheduleID: id, limit: runs))
        }
    }

    private static func runs(_ db: Database, scheduleID: Int64, limit: Int) throws -> [ScheduleRun] {
        guard limit > 0 else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM schedule_run WHERE schedule_id = ? ORDER BY started_at DESC, id DESC LIMIT ?",
                                arguments: [scheduleID, limit]).map(ScheduleRun.init(row:))
    }

    /// Adds a schedule (validated, see ``ScheduleRequest/validate()``). Its first run: at
    /// once for an interval, the calendar's next time otherwise; plus a random jitter.
    /// - Parameter origin: the configuration file and line that declare it (``reconcile(_:now:)``).
    @discardableResult
    public func add(_ request: ScheduleRequest, now: Date = Date(), origin: String? = nil) throws -> Schedule {
        let valid = try request.validate()
        var every: Int64?, calendar: String?
        let first: Date
        switch valid.timing {
        case let .every(seconds):
            every = seconds
            first = now
        case let .calendar(spec):
            calendar = spec.text
            first = spec.next(after: now, defaultZone: timeZone)
        }
        let next = Timestamp.format(first.addingTimeInterval(Double(delay(valid.jitterSeconds))))
        let id: Int64 = try CatalogAccess.write(catalog) { db in
            try db.execute(sql: """
                INSERT INTO schedule (node, every_seconds, calendar, jitter_seconds, next_run_at, stop_app, label, pre_hook, post_hook, created_at, origin)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.node, every, calendar, valid.jitterSeconds, next, request.stopApp, request.label,
                                 request.preHook, request.postHook, Timestamp.format(now), origin])
            return db.lastInsertedRowID
        }
        return try get(id: id)
    }

    private func delay(_ jitter: Int64) -> Int64 {
        jitter > 0 ? min(max(randomDelay(jitter), 0), jitter - 1) : 0
    }

    /// Sets the next run of a schedule whose run starts at `now`: the first slot after
    /// `now`, plus a new random jitter. Returns that time.
    @discardableResult
    public func advance(_ schedule: Schedule, now: Date) throws -> Date {
        let next = schedule.nextSlot(after: now, defaultZone: timeZone).addingTimeInterval(Double(delay(schedule.jitterSeconds)))
        try CatalogAccess.write(catalog) { db in
            try db.execute(sql: "UPDATE schedule SET next_run_at = ? WHERE id = ?", arguments: [Timestamp.format(next), schedule.id])
        }
        return next
    }

    /// Removes a schedule (its run history and backups stay).
    /// - Throws: ``WarrenError/scheduleNotFound(id:)``; ``WarrenError/invalidArgument(name:reason:)``
    ///   (`id`) for a schedule the configuration file declares (it would come back at the
    ///   service's next start).
    public func remove(id: Int64) throws {
        try CatalogAccess.write(catalog) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT origin FROM schedule WHERE id = ?", arguments: [id]) else {
                throw WarrenError.scheduleNotFound(id: id)
            }
            if let origin: String = row["origin"] {
                throw WarrenError.invalidArgument(
                    name: "id", reason: "schedule \(id) is declared in the configuration file (\(origin)); remove it there and restart warren serve")
            }
            try db.execute(sql: "DELETE FROM schedule WHERE id = ?", arguments: [id])
        }
    }

    /// Makes the catalog's file schedules (those with an `origin`) match `declared`: one
    /// whose node, timing, jitter, stop-app and label are unchanged keeps its id, next run
    /// and history (its origin is updated if its line moved); the others are removed, and
    /// each new one is added as ``add(_:now:)`` adds it. Schedules made by `schedule add`
    /// are never touched. Returns what changed.
    @discardableResult
    public func reconcile(_ declared: [ConfiguredSchedule], now: Date = Date()) throws -> ScheduleReconciliation {
        var result = ScheduleReconciliation()
        var unmatched = try list(runs: 0).filter { $0.origin != nil }
        var toAdd: [ConfiguredSchedule] = []
        for entry in declared {
            let valid = try entry.request.validate()
            if let index = unmatched.firstIndex(where: { Self.same($0, entry.request, valid) }) {
                let kept = unmatched.remove(at: index)
                if kept.origin != entry.origin {
                    try CatalogAccess.write(catalog) { db in
                        try db.execute(sql: "UPDATE schedule SET origin = ? WHERE id = ?", arguments: [entry.origin, kept.id])
                    }
                }
                result.kept.append(kept.id)
            } else {
                toAdd.append(entry)
            }
        }
        for stale in unmatched {
            try CatalogAccess.write(catalog) { db in try db.execute(sql: "DELETE FROM schedule WHERE id = ?", arguments: [stale.id]) }
            result.removed.append(stale.id)
        }
        for entry in toAdd {
            result.added.append(try add(entry.request, now: now, origin: entry.origin).id)
        }
        return result
    }

    /// Whether a stored file schedule is the one a section declares.
    private static func same(_ schedule: Schedule, _ request: ScheduleRequest, _ valid: ScheduleRequest.Validated) -> Bool {
        let timing: ScheduleRequest.Timing? = schedule.everySeconds.map { .every(seconds: $0) } ?? schedule.calendar.map { .calendar($0) }
        return schedule.node == request.node && timing == valid.timing && schedule.jitterSeconds == valid.jitterSeconds
            && schedule.stopApp == request.stopApp && schedule.label == request.label
    }

    /// Records a run's outcome on the schedule and in its history.
    public func record(scheduleID: Int64, startedAt: Date, finishedAt: Date = Date(), outcome: ScheduleOutcome, backupID: Int64?,
                       verdict: Verdict?, removed: Int?, error: String?) throws {
        let started = Timestamp.format(startedAt), finished = Timestamp.format(finishedAt)
        try CatalogAccess.write(catalog) { db in
            try db.execute(sql: """
                UPDATE schedule SET last_run_at = ?, last_outcome = ?, last_backup_id = ?, last_verdict = ?, last_removed = ?, last_error = ?
                WHERE id = ?
                """, arguments: [started, outcome.rawValue, backupID, verdict, removed, error, scheduleID])
            try db.execute(sql: """
                INSERT INTO schedule_run (schedule_id, started_at, finished_at, outcome, backup_id, verdict, removed, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [scheduleID, started, finished, outcome.rawValue, backupID, verdict, removed, error])
        }
    }
}
