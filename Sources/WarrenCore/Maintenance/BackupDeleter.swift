import Foundation
import GRDB

/// Removes backups from the catalog, crash-safely and dedup-aware.
///
/// ``remove(_:in:)`` runs inside the caller's single transaction: manifest rows, backup rows
/// (their inventory goes by `ON DELETE CASCADE`), and, for each object that no remaining
/// backup references any more, its `object` row, replaced by a queue entry in
/// `object_deletion`. Files are deleted afterwards by ``ObjectReaper``: a crash leaves either
/// the old catalog (rollback) or queued unreferenced files, never a reference to a missing
/// object.
enum BackupDeleter {
    /// What removing `ids` would free: objects referenced by them and by no other backup.
    static func estimate(_ ids: [Int64], in db: Database) throws -> FreedSpace {
        guard !ids.isEmpty else { return FreedSpace() }
        let row = try Row.fetchOne(db, sql: """
            WITH doomed(id) AS (SELECT value FROM json_each(?)),
                 candidate(sha256) AS (
                     SELECT sha256 FROM manifest_file WHERE backup_id IN (SELECT id FROM doomed)
                     UNION
                     SELECT definitions_sha256 FROM backup WHERE id IN (SELECT id FROM doomed) AND definitions_sha256 IS NOT NULL)
            SELECT COUNT(*) AS objects, COALESCE(SUM(o.size), 0) AS bytes
            FROM candidate c JOIN object o ON o.sha256 = c.sha256
            WHERE NOT EXISTS (SELECT 1 FROM manifest_file m WHERE m.sha256 = c.sha256
                                  AND m.backup_id NOT IN (SELECT id FROM doomed))
              AND NOT EXISTS (SELECT 1 FROM backup b WHERE b.definitions_sha256 = c.sha256
                                  AND b.id NOT IN (SELECT id FROM doomed))
            """, arguments: [jsonArray(ids)])
        return FreedSpace(objects: row?["objects"] ?? 0, bytes: row?["bytes"] ?? 0)
    }

    /// Deletes the backups' rows, recording them as deleted by `cause` (``DeletedBackups``),
    /// and queues their no-longer-referenced objects for deletion. Returns what was queued.
    /// Must run inside a write transaction.
    @discardableResult
    static func remove(_ ids: [Int64], cause: BackupDeletionCause, in db: Database) throws -> FreedSpace {
        guard !ids.isEmpty else { return FreedSpace() }
        try DeletedBackups.record(ids, cause: cause, at: Timestamp.format(Date()), in: db)
        // Deleting a million manifest rows touches much of the manifest index: with SQLite's
        // default 2 MiB page cache, dirty pages spill to the WAL mid-transaction and the
        // deletion takes about twice as long.
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = \(Self.deletionCacheKiB)")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
        try db.execute(sql: """
            CREATE TEMP TABLE prune_doomed (id INTEGER PRIMARY KEY);
            INSERT INTO prune_doomed SELECT value FROM json_each(?);
            CREATE TEMP TABLE prune_candidate (sha256 BLOB PRIMARY KEY) WITHOUT ROWID;
            INSERT OR IGNORE INTO prune_candidate
                SELECT sha256 FROM manifest_file WHERE backup_id IN (SELECT id FROM prune_doomed);
            INSERT OR IGNORE INTO prune_candidate
                SELECT definitions_sha256 FROM backup
                WHERE id IN (SELECT id FROM prune_doomed) AND definitions_sha256 IS NOT NULL;
            DELETE FROM manifest_file WHERE backup_id IN (SELECT id FROM prune_doomed);
            """, arguments: [jsonArray(ids)])
        try BackupRows.deleteListed(inTemporaryTable: "prune_doomed", in: db)
        try db.execute(sql: """
            CREATE TEMP TABLE prune_freed (sha256 BLOB PRIMARY KEY, size INTEGER) WITHOUT ROWID;
            INSERT INTO prune_freed
                SELECT c.sha256, o.size FROM prune_candidate c LEFT JOIN object o ON o.sha256 = c.sha256
                WHERE NOT EXISTS (SELECT 1 FROM manifest_file m WHERE m.sha256 = c.sha256)
                  AND NOT EXISTS (SELECT 1 FROM backup b WHERE b.definitions_sha256 = c.sha256);
            """)
        let queued = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM prune_freed")
        try db.execute(sql: """
            INSERT OR REPLACE INTO object_deletion (sha256, size, queued_at) SELECT sha256, size, ? FROM prune_freed;
            DELETE FROM object WHERE sha256 IN (SELECT sha256 FROM prune_freed);
            DROP TABLE prune_freed;
            DROP TABLE prune_candidate;
            DROP TABLE prune_doomed;
            """, arguments: [Timestamp.format(Date())])
        return FreedSpace(objects: queued?["n"] ?? 0, bytes: queued?["bytes"] ?? 0)
    }

    /// Page cache for the deletion transaction, in KiB (negative: SQLite's unit is pages otherwise).
    static let deletionCacheKiB = -262_144

    private static func jsonArray(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }
}
