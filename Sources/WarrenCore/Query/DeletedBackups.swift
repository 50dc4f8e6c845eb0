import GRDB

/// The catalog's record of backups that prune or forget deleted (`deleted_backup`), so that
/// asking for one says when it went instead of "no backup with id N".
enum DeletedBackups {
    /// Records `ids` as deleted now by `cause`; in the deleting transaction, before their rows go.
    static func record(_ ids: [Int64], cause: BackupDeletionCause, at deletedAt: String, in db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO deleted_backup (id, node, taken_at, deleted_at, deleted_by)
            SELECT id, node, taken_at, ?, ? FROM backup WHERE id IN (SELECT value FROM json_each(?))
            """, arguments: [deletedAt, cause.rawValue, "[" + ids.map(String.init).joined(separator: ",") + "]"])
    }

    /// The error for an id the catalog does not hold: ``WarrenError/backupDeleted(id:node:deletedAt:cause:)``
    /// when it was deleted, else ``WarrenError/backupNotFound(id:)``.
    static func notFound(_ id: Int64, in db: Database) throws -> WarrenError {
        guard let row = try Row.fetchOne(db, sql: "SELECT node, deleted_at, deleted_by FROM deleted_backup WHERE id = ?", arguments: [id]),
              let cause = BackupDeletionCause(rawValue: row["deleted_by"]) else {
            return .backupNotFound(id: id)
        }
        return .backupDeleted(id: id, node: row["node"], deletedAt: row["deleted_at"], cause: cause)
    }
}
