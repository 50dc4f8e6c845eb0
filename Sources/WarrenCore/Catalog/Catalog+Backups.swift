import Foundation
import GRDB

/// The catalog's writes to the `backup` table, each one transaction that keeps the table's
/// invariants (see ``BackupRows``), in the shape of GRDB's demo `AppDatabase`: callers say
/// what happened to a backup, never how its row changes.
extension Catalog {
    /// Records a new backup `in_progress` (before any of its objects is stored); returns its id.
    func beginBackup(_ source: IngestSource, createdAt: String) throws -> Int64 {
        try CatalogAccess.write(self) { try BackupRows.insertInProgress(source, createdAt: createdAt, in: $0) }
    }

    /// Records `manifest`, already durable in the repository, and marks its backup complete.
    func completeBackup(_ manifest: BackupManifest) throws {
        try CatalogAccess.write(self) { try ManifestRecorder.record(manifest, in: $0) }
    }

    /// Records a backup being copied in from another repository `in_progress` (before any of
    /// its objects is stored); returns its id in this catalog.
    func beginCopiedBackup(_ header: BackupManifest.Header) throws -> Int64 {
        try CatalogAccess.write(self) { try BackupRows.insertCopyInProgress(header, in: $0) }
    }

    /// Marks an `in_progress` backup failed, saying why; false when it was not in progress
    /// (it completed after all, or it is gone).
    func markFailed(id: Int64, failure: String) throws -> Bool {
        try CatalogAccess.write(self) { try BackupRows.markFailed(id: id, failure: failure, at: Timestamp.format(Date()), in: $0) }
    }

    /// Records the manifest of a backup whose completion never reached the catalog (`check`),
    /// replacing the row it left (`in_progress` or `failed`).
    func completeInterruptedBackup(_ manifest: BackupManifest) throws {
        try CatalogAccess.write(self) { db in
            try BackupRows.deleteUnlessComplete(id: manifest.backup.id, in: db)
            try ManifestRecorder.record(manifest, in: db)
        }
    }

    /// Records complete backups from their manifests in one transaction (`catalog rebuild`,
    /// an S3 cache's synchronisation), replacing a row left for the id that is not complete.
    func recordRebuiltBackups(_ manifests: [BackupManifest], knownObjects: inout Set<DigestKey>) throws {
        let start = knownObjects
        let known = try CatalogAccess.write(self) { db in
            var known = start
            for manifest in manifests {
                try BackupRows.deleteUnlessComplete(id: manifest.backup.id, in: db)
                try ManifestRecorder.record(manifest, in: db, knownObjects: &known)
            }
            return known
        }
        // Kept only once the transaction committed (a failed batch throws and wrote no rows).
        knownObjects = known
    }

    /// Removes backups from a cache catalog because their manifests are gone from the bucket
    /// (deleted by another host): their rows, and the `object` rows no remaining backup
    /// references. Nothing is queued for deletion and nothing is recorded as pruned: the
    /// repository, not this cache, decided.
    func dropBackups(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        try CatalogAccess.write(self) { db in
            try db.execute(sql: "DELETE FROM manifest_file WHERE backup_id IN (SELECT value FROM json_each(?))", arguments: [list])
            try db.execute(sql: "DELETE FROM backup WHERE id IN (SELECT value FROM json_each(?))", arguments: [list])
            try db.execute(sql: """
                DELETE FROM object
                WHERE NOT EXISTS (SELECT 1 FROM manifest_file m WHERE m.sha256 = object.sha256)
                  AND NOT EXISTS (SELECT 1 FROM backup b WHERE b.definitions_sha256 = object.sha256)
                """)
        }
    }

    /// Each backup's id and state (an S3 cache's synchronisation).
    func backupStates() throws -> [Int64: BackupState] {
        try CatalogAccess.read(self) { db in
            var states: [Int64: BackupState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, state FROM backup") {
                let text: String = row["state"]
                if let state = BackupState(rawValue: text) { states[row["id"]] = state }
            }
            return states
        }
    }

    /// Applies the repository's pins, verdicts and policies to the backups recorded
    /// (`catalog rebuild`); returns the documents that were unreadable.
    func applyRepositoryState(_ state: RepositoryStateStore) throws -> [String] {
        try CatalogAccess.write(self) { try state.apply(to: $0) }
    }

    /// Ids up to `highest` (deleted backups') are never handed out again.
    func reserveBackupIDs(through highest: Int64) throws {
        try CatalogAccess.write(self) { try BackupRows.reserveIDs(through: highest, in: $0) }
    }

    /// Pins the backup with the pin already written to the repository; throws
    /// ``WarrenError/backupNotFound(id:)`` when it is gone. Returns its summary.
    func pin(id: Int64, _ pin: RepositoryStateStore.Pin) throws -> BackupSummary {
        try CatalogAccess.write(self) { db in
            guard try BackupRows.setPin(id: id, pin, in: db) else { throw WarrenError.backupNotFound(id: id) }
            return try CatalogQueries.summary(db, id: id)
        }
    }

    /// Unpins the backup; `wasPinned` is false when it was not pinned.
    func unpin(id: Int64) throws -> (summary: BackupSummary, wasPinned: Bool) {
        try CatalogAccess.write(self) { db in
            let before = try CatalogQueries.summary(db, id: id)
            try BackupRows.clearPin(id: id, in: db)
            return (try CatalogQueries.summary(db, id: id), before.pinned)
        }
    }

    /// Records a verification run, and (unless it was a what-if run, which answers another
    /// question than "is this backup restorable as it is") the backup's last verdict.
    func recordVerification(_ report: VerifyReport, exclusionsJSON: String) throws {
        try CatalogAccess.write(self) { db in
            try db.execute(
                sql: """
                    INSERT INTO verification (backup_id, verified_at, verdict, full, target_version, exclusions,
                                              error_count, warning_count, info_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [report.backup, report.verifiedAt, report.verdict.rawValue, report.full, report.targetVersion,
                            exclusionsJSON, report.errorCount, report.warningCount, report.infoCount])
            guard !report.whatIf else { return }
            try BackupRows.setLastVerdict(id: report.backup, .init(verdict: report.verdict, verifiedAt: report.verifiedAt), in: db)
        }
    }

    /// Deletes the backups that `choose` picks, inside the same transaction that reads them
    /// (so a pin written meanwhile is either seen or applied after), recording them as deleted
    /// by `cause` and queueing their unreferenced objects (``BackupDeleter``). `choose` may
    /// write the tombstones first; a throw anywhere rolls everything back.
    func deleteBackups<T>(cause: BackupDeletionCause, choosing choose: (Database) throws -> (ids: [Int64], result: T)) throws -> T {
        try CatalogAccess.write(self) { db in
            let chosen = try choose(db)
            try BackupDeleter.remove(chosen.ids, cause: cause, in: db)
            return chosen.result
        }
    }
}
