import GRDB

/// One run of a schedule, from its history (`schedule list`, `GET /v1/schedules`).
public struct ScheduleRun: Sendable, Codable, Equatable {
    public var id: Int64
    public var startedAt: String
    public var finishedAt: String
    public var outcome: ScheduleOutcome
    /// The backup taken, if the backup step got that far.
    public var backupId: Int64?
    public var verdict: Verdict?
    /// Backups the prune step removed (nil when it did not run).
    public var removed: Int?
    public var error: String?

    init(row: Row) {
        id = row["id"]
        startedAt = row["started_at"]
        finishedAt = row["finished_at"]
        outcome = ScheduleOutcome(rawValue: row["outcome"] ?? "") ?? .failed
        backupId = row["backup_id"]
        verdict = row["verdict"]
        removed = row["removed"]
        error = row["error"]
    }

    /// Every key, null when unset.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(backupId, forKey: .backupId)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(removed, forKey: .removed)
        try c.encode(error, forKey: .error)
    }
}
