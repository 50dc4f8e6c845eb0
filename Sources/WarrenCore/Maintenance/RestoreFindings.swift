import Foundation
import GRDB

/// `check`'s findings about restores: journals of interrupted restores (a vhost may be
/// half-written, `restore_interrupted`, error) and `restore_run` rows left `running` by a
/// process that is gone (`restore_run_interrupted`, marked failed when repairing).
enum RestoreFindings {
    static func inspect(_ repository: any RepositoryReadable, liveWriter: LockHolder?, repairing: Repository?) throws -> [CheckFinding] {
        var findings: [CheckFinding] = []
        let restoring = liveWriter?.command == "restore"
        for journal in try RestoreJournal.all(repository: repository.path) {
            let r = journal.record
            if restoring, RestoreRecovery.isAlive(r), liveWriter?.pid == r.pid {
                findings.append(CheckFinding("restore_in_progress", .info, "restore of backup \(r.backupId) into node \(r.node) is in progress (step \(r.step.rawValue))", backup: r.backupId))
                continue
            }
            findings.append(CheckFinding(
                "restore_interrupted", .error, "node \(r.node): " + journal.summary + " (journal \(journal.path))",
                fix: "`warren restore --resume --node \(r.node)` finishes it; `warren restore --rollback --node \(r.node)` puts the moved-aside data back",
                backup: r.backupId))
        }
        let rows = try CatalogAccess.read(repository.catalogReader) { db in
            try Row.fetchAll(db, sql: "SELECT id, backup_id, node, started_at FROM restore_run WHERE outcome = 'running' ORDER BY id")
        }
        for row in rows {
            let id: Int64 = row["id"], node: String = row["node"], started: String = row["started_at"], backup: Int64? = row["backup_id"]
            // A restore holds the write lock for its whole run: with no live restore holding it, the row is a leftover.
            if restoring { continue }
            var fixed = false
            if let repairing {
                fixed = try CatalogAccess.write(repairing.catalog) { db in
                    try db.execute(sql: "UPDATE restore_run SET outcome = 'failed', detail = ?, finished_at = ? WHERE id = ? AND outcome = 'running'",
                                   arguments: ["interrupted: the restoring process is gone (marked failed by `warren check`)", Timestamp.format(Date()), id])
                    return db.changesCount > 0
                }
            }
            findings.append(CheckFinding(
                "restore_run_interrupted", .warning,
                "restore run \(id) of backup \(backup.map(String.init) ?? "?") into node \(node) (started \(started)) was left running by a process that is gone" + (fixed ? "; marked failed" : ""),
                fix: fixed ? nil : "run `warren check` (without --dry-run) to mark it failed; see `warren restores`", fixed: fixed, backup: backup))
        }
        return findings
    }
}
