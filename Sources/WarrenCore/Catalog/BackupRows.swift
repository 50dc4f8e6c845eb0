import Foundation
import GRDB

/// Every statement that writes the `backup` table, and nothing else. Each runs inside a
/// transaction of one of ``Catalog``'s backup methods (`Catalog+Backups.swift`), which keep
/// the table's invariants:
/// - a row is created `in_progress` (ingest), or from a manifest (rebuild, check);
/// - it becomes `complete` only from its manifest, already durable in the repository, in the
///   transaction that records the manifest's rows (``ManifestRecorder``);
/// - it becomes `failed` only while `in_progress`;
/// - a pin or a verdict changes only after its state document (``RepositoryStateStore``);
/// - a row goes only with its manifest rows, its deletion record and its unreferenced
///   objects (``BackupDeleter``).
enum BackupRows {
    /// A new `in_progress` row; returns its id.
    static func insertInProgress(_ source: IngestSource, createdAt: String, in db: Database) throws -> Int64 {
        try NewBackupRow(source, createdAt: createdAt).insert(db)
        return db.lastInsertedRowID
    }

    /// A new `in_progress` row for a backup copied from another repository (`warren copy`),
    /// with the source's node, label and times; returns its id.
    static func insertCopyInProgress(_ h: BackupManifest.Header, in db: Database) throws -> Int64 {
        try NewBackupRow(h, keepingID: false).insert(db)
        return db.lastInsertedRowID
    }

    /// The manifest's row, `in_progress`, unless the row is there (ingest's own, or one an
    /// interrupted writer left).
    static func insertIfMissing(_ h: BackupManifest.Header, in db: Database) throws {
        try NewBackupRow(h, keepingID: true).insert(db, onConflict: .ignore)
    }

    /// Marks the row `complete` with the manifest's header and figures
    /// (``CompletedBackupRow``); the definitions counts come from the `def_*` rows the same
    /// transaction wrote.
    static func markComplete(_ manifest: BackupManifest, in db: Database) throws {
        try CompletedBackupRow(manifest: manifest).update(db)
        try db.execute(
            sql: """
                UPDATE backup SET
                    vhost_count = (SELECT COUNT(*) FROM def_vhost WHERE backup_id = :id),
                    queue_count = (SELECT COUNT(*) FROM def_queue WHERE backup_id = :id),
                    exchange_count = (SELECT COUNT(*) FROM def_exchange WHERE backup_id = :id),
                    binding_count = (SELECT COUNT(*) FROM def_binding WHERE backup_id = :id),
                    policy_count = (SELECT COUNT(*) FROM def_policy WHERE backup_id = :id)
                WHERE id = :id
                """,
            arguments: ["id": manifest.backup.id])
    }

    /// True when the row was still `in_progress` and is now `failed`.
    static func markFailed(id: Int64, failure: String, at: String, in db: Database) throws -> Bool {
        try db.execute(
            sql: "UPDATE backup SET state = ?, failure = ?, completed_at = ? WHERE id = ? AND state = ?",
            arguments: [BackupState.failed, failure, at, id, BackupState.inProgress])
        return db.changesCount > 0
    }

    /// When the broker survey recorded with the backup was taken.
    static func setBrokerSurveyed(id: Int64, at: String, in db: Database) throws {
        try db.execute(sql: "UPDATE backup SET broker_surveyed_at = ? WHERE id = ?", arguments: [at, id])
    }

    /// True when the row exists (and is now pinned).
    static func setPin(id: Int64, _ pin: RepositoryStateStore.Pin, in db: Database) throws -> Bool {
        try db.execute(sql: "UPDATE backup SET pinned = 1, pin_note = ?, pinned_at = ? WHERE id = ?", arguments: [pin.note, pin.pinnedAt, id])
        return db.changesCount > 0
    }

    static func clearPin(id: Int64, in db: Database) throws {
        try db.execute(sql: "UPDATE backup SET pinned = 0, pin_note = NULL, pinned_at = NULL WHERE id = ?", arguments: [id])
    }

    static func setLastVerdict(id: Int64, _ verdict: RepositoryStateStore.LastVerdict, in db: Database) throws {
        try db.execute(
            sql: "UPDATE backup SET last_verdict = ?, last_verified_at = ? WHERE id = ?",
            arguments: [verdict.verdict.rawValue, verdict.verifiedAt, id])
    }

    /// Removes a row that never completed (its manifest is about to be recorded instead).
    static func deleteUnlessComplete(id: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM backup WHERE id = ? AND state != ?", arguments: [id, BackupState.complete])
    }

    /// Removes the rows whose ids are in the temporary table `table` (its column `id`).
    /// Their inventory goes by `ON DELETE CASCADE`.
    static func deleteListed(inTemporaryTable table: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM backup WHERE id IN (SELECT id FROM \(table))")
    }

    /// Ids up to `highest` are never handed out again (deleted backups').
    static func reserveIDs(through highest: Int64, in db: Database) throws {
        try db.execute(sql: "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'backup'", arguments: [highest])
        if db.changesCount == 0 {
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('backup', ?)", arguments: [highest])
        }
    }
}
