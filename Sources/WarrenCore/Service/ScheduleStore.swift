import Foundation
import GRDB

/// A scheduled backup (`warren schedule add`), run by `warren serve`: backup, then verify
/// the new backup, then prune per the stored policy.
public struct Schedule: Sendable, Codable, Equatable {
    public var id: Int64
    public var node: String
    public var everySeconds: Int64
    public var stopApp: Bool
    public var label: String?
    public var preHook: String?
    public var postHook: String?
    public var createdAt: String
    public var lastRunAt: String?
    /// `succeeded` or `failed`; nil before the first run.
    public var lastOutcome: String?
    public var lastBackupId: Int64?
    public var lastVerdict: String?
    public var lastRemoved: Int?
    public var lastError: String?
    /// Runs recorded so far.
    public var runCount: Int

    init(row: Row) {
        id = row["id"]
        node = row["node"]
        everySeconds = row["every_seconds"]
        stopApp = row["stop_app"]
        label = row["label"]
        preHook = row["pre_hook"]
        postHook = row["post_hook"]
        createdAt = row["created_at"]
        lastRunAt = row["last_run_at"]
        lastOutcome = row["last_outcome"]
        lastBackupId = row["last_backup_id"]
        lastVerdict = row["last_verdict"]
        lastRemoved = row["last_removed"]
        lastError = row["last_error"]
        runCount = row["run_count"] ?? 0
    }

    /// Due when never run, or when `every` has passed since the last run. A service that was
    /// down for several intervals finds the schedule due once, not once per missed slot.
    public func isDue(at now: Date) -> Bool {
        guard let last = lastRunAt.flatMap(Timestamp.parse) else { return true }
        return now.timeIntervalSince(last) >= Double(everySeconds)
    }

    /// Every key, null when unset (one rule for every answer, CLI and API alike).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(node, forKey: .node)
        try c.encode(everySeconds, forKey: .everySeconds)
        try c.encode(stopApp, forKey: .stopApp)
        try c.encode(label, forKey: .label)
        try c.encode(preHook, forKey: .preHook)
        try c.encode(postHook, forKey: .postHook)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(lastRunAt, forKey: .lastRunAt)
        try c.encode(lastOutcome, forKey: .lastOutcome)
        try c.encode(lastBackupId, forKey: .lastBackupId)
        try c.encode(lastVerdict, forKey: .lastVerdict)
        try c.encode(lastRemoved, forKey: .lastRemoved)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(runCount, forKey: .runCount)
    }
}

/// `--every`: `30s`, `15m`, `6h`, `1d` (seconds, minutes, hours, days), or combinations
/// in that order of size such as `1h30m`.
public enum ScheduleInterval {
    public static func seconds(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 32 else { return nil }
        var total: Int64 = 0
        var number = ""
        var lastRank = Int.max
        let ranks: [Character: (Int, Int64)] = ["d": (4, 86400), "h": (3, 3600), "m": (2, 60), "s": (1, 1)]
        for c in text {
            if c.isASCII && c.isNumber { number.append(c); continue }
            guard let (rank, unit) = ranks[c], rank < lastRank, let n = Int64(number), n > 0 else { return nil }
            let (product, overflow) = n.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            total += product
            number = ""
            lastRank = rank
        }
        guard number.isEmpty, total >= 1, total <= 366 * 86400 else { return nil }
        return total
    }
}

public struct ScheduleStore: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    public func list() throws -> [Schedule] {
        try CatalogAccess.read(catalog) { db in
            try Row.fetchAll(db, sql: "SELECT s.*, (SELECT COUNT(*) FROM schedule_run r WHERE r.schedule_id = s.id) AS run_count FROM schedule s ORDER BY s.id").map(Schedule.init(row:))
        }
    }

    public func get(id: Int64) throws -> Schedule {
        guard let schedule = try list().first(where: { $0.id == id }) else {
            throw WarrenError.invalidArgument(name: "schedule", reason: "no schedule with id \(id) (see `warren schedule list`)")
        }
        return schedule
    }

    @discardableResult
    public func add(node: String, everySeconds: Int64, stopApp: Bool, label: String?, preHook: String?, postHook: String?) throws -> Schedule {
        try BackupNaming.validate(node: node, label: label)
        guard everySeconds >= 1 else { throw WarrenError.invalidArgument(name: "every", reason: "must be at least 1 second") }
        let id: Int64 = try CatalogAccess.write(catalog) { db in
            try db.execute(sql: """
                INSERT INTO schedule (node, every_seconds, stop_app, label, pre_hook, post_hook, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [node, everySeconds, stopApp, label, preHook, postHook, Timestamp.format(Date())])
            return db.lastInsertedRowID
        }
        return try get(id: id)
    }

    /// False when there was no such schedule.
    @discardableResult
    public func remove(id: Int64) throws -> Bool {
        try CatalogAccess.write(catalog) { db in
            try db.execute(sql: "DELETE FROM schedule WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Records a run's outcome on the schedule and in its history.
    public func record(scheduleID: Int64, startedAt: Date, outcome: String, backupID: Int64?, verdict: String?, removed: Int?, error: String?) throws {
        let started = Timestamp.format(startedAt), finished = Timestamp.format(Date())
        try CatalogAccess.write(catalog) { db in
            try db.execute(sql: """
                UPDATE schedule SET last_run_at = ?, last_outcome = ?, last_backup_id = ?, last_verdict = ?, last_removed = ?, last_error = ?
                WHERE id = ?
                """, arguments: [started, outcome, backupID, verdict, removed, error, scheduleID])
            try db.execute(sql: """
                INSERT INTO schedule_run (schedule_id, started_at, finished_at, outcome, backup_id, verdict, removed, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [scheduleID, started, finished, outcome, backupID, verdict, removed, error])
        }
    }
}
