import Foundation
import GRDB

/// One row of the restore history (`warren restores`, `GET /v1/restores`).
public struct RestoreRunSummary: Sendable, Codable, Equatable {
    /// `running`, `succeeded`, `short`, `failed`, `refused`, or `interrupted`: left `running`
    /// by a process that is gone (no live restore holds the repository's lock).
    public enum Outcome: String, Sendable, Codable {
        case running, succeeded, short, failed, refused, interrupted
    }

    public var id: Int64
    public var backupId: Int64?
    public var node: String
    public var startedAt: String
    public var finishedAt: String?
    public var outcome: Outcome
    public var detail: String?

    private enum CodingKeys: String, CodingKey { case id, backupId, node, startedAt, finishedAt, outcome, detail }

    /// Every key is present in JSON, `null` when it does not apply.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(backupId, forKey: .backupId)
        try c.encode(node, forKey: .node)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(detail, forKey: .detail)
    }

    /// Every restore run, newest first; `running` rows with no live restore become `interrupted`.
    public static func all(repository: any RepositoryReadable, node: String? = nil) throws -> [RestoreRunSummary] {
        let live = RepositoryLock.currentHolder(repository: repository)?.command == "restore"
        let rows = try CatalogAccess.read(repository.catalogReader) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM restore_run WHERE ? IS NULL OR node = ? ORDER BY started_at DESC, id DESC", arguments: [node, node])
        }
        return rows.map { row in
            let stored = Outcome(rawValue: row["outcome"] as String) ?? .failed
            return RestoreRunSummary(
                id: row["id"], backupId: row["backup_id"], node: row["node"], startedAt: row["started_at"],
                finishedAt: row["finished_at"], outcome: stored == .running && !live ? .interrupted : stored, detail: row["detail"])
        }
    }
}
