import Foundation
import GRDB

/// `warren check`: reconciles the catalog with the repository. Reports referenced objects
/// that are missing or of the wrong size, unreferenced objects (and `warren gc` to remove
/// them), backups left `in_progress` by a writer that is gone (marked failed when
/// repairing), the schema version, and SQLite's `integrity_check` and `foreign_key_check`.
///
/// Repairing takes the repository's write lock: holding it proves that no writer runs, so
/// every `in_progress` backup is a leftover. In an S3 repository it takes the bucket's lock
/// object too (``Repository/withExclusiveLock(command:options:_:)``); the in-progress rows
/// of this host's cache are this host's writers' alone (other hosts' are not in it). A dry
/// run takes no lock and changes nothing.
public struct RepositoryChecker: Sendable {
    public let repository: Repository
    public var lockOptions = RepositoryLock.Options()

    public init(repository: Repository) {
        self.repository = repository
    }

    /// Checks, and with `repair` (under the lock) marks interrupted backups failed.
    public func check(repair: Bool = true) throws -> CheckReport {
        guard repair else { return try Self.dryRun(in: repository) }
        // The exclusive lock: in an S3 repository a repair must not cancel the tombstones of a
        // prune running on another host (and it checks a freshly synchronised cache).
        return try repository.withExclusiveLock(command: "check", options: lockOptions) {
            try Self.inspect(repository, liveWriter: nil, repairing: repository)
        }
    }

    /// Checks without taking the lock or changing anything. Open the repository with
    /// ``ReadOnlyRepository/openIfCurrent(at:)`` to leave `catalog.sqlite` byte for byte untouched.
    public static func dryRun(in repository: any RepositoryReadable) throws -> CheckReport {
        try inspect(repository, liveWriter: RepositoryLock.currentHolder(repository: repository), repairing: nil)
    }

    private static func inspect(_ repository: any RepositoryReadable, liveWriter: LockHolder?, repairing: Repository?) throws -> CheckReport {
        var findings: [CheckFinding] = []
        let schema = try schemaStatus(repository)
        if !schema.current {
            findings.append(CheckFinding(
                "schema_mismatch", .error,
                "applied migrations \(schema.applied) differ from this binary's \(schema.known)",
                fix: "use the Warren version that wrote this catalog"))
        }
        let integrity = try CatalogAccess.read(repository.catalogReader) { db in
            (try String.fetchAll(db, sql: "PRAGMA integrity_check"), try Row.fetchAll(db, sql: "PRAGMA foreign_key_check"))
        }
        if integrity.0 != ["ok"] {
            findings.append(CheckFinding(
                "integrity_error", .error, "SQLite integrity_check: " + integrity.0.prefix(20).joined(separator: "; "),
                fix: "restore catalog.sqlite from a copy; `sqlite3 catalog.sqlite .recover` may salvage rows"))
        }
        if !integrity.1.isEmpty {
            let tables = Set(integrity.1.map { $0[0] as String? ?? "?" }).sorted()
            findings.append(CheckFinding(
                "integrity_error", .error,
                "SQLite foreign_key_check: \(integrity.1.count) rows reference missing parents (tables \(tables.joined(separator: ", ")))",
                fix: "restore catalog.sqlite from a copy", count: integrity.1.count))
        }
        // Manifests first: a backup stored whole but not recorded is completed, not failed.
        findings += try ManifestAudit(repository: repository, liveWriter: liveWriter, repairing: repairing).run()
        let objects = try ObjectAudit(repository: repository, liveWriter: liveWriter).run()
        var objectFindings = objects.findings
        // Stale temporary files (objects, records, broker captures of writers that are gone).
        if let repairing, let index = objectFindings.firstIndex(where: { $0.code == "stale_temporaries" }) {
            _ = TemporaryFiles(store: repairing.objects).removeStale()
            objectFindings[index].fixed = true
        }
        findings += objectFindings
        findings += try interruptedBackups(repository, liveWriter: liveWriter, repairing: repairing)
        findings += try RestoreFindings.inspect(repository, liveWriter: liveWriter, repairing: repairing)
        findings += try PermissionAudit(root: repository.path, repairing: repairing != nil).run()
        var encryption: RepositoryEncryption?
        do {
            // An S3 repository's config is in the bucket (its path is the local cache).
            encryption = try RepositoryConfig.encryption(of: repository.objects.isLocal ? LocalDirectoryStorage(root: repository.path) : repository.storage)
        } catch let WarrenError.crypto(error) {
            findings.append(CheckFinding(error.code, .error, error.description, fix: "restore the repository's config from a copy"))
        }
        var report = CheckReport(
            repaired: repairing != nil, schema: schema, integrity: integrity.0, referencedObjects: objects.referenced,
            storedObjects: objects.stored, findings: findings)
        report.encryption = encryption
        return report
    }

    private static func schemaStatus(_ repository: any RepositoryReadable) throws -> CheckReport.Schema {
        let applied = try CatalogAccess.read(repository.catalogReader) { try Catalog.migrator.appliedIdentifiers($0) }.sorted()
        let known = EmbeddedMigrations.all.map(\.name).sorted()
        return CheckReport.Schema(applied: applied, known: known, current: applied == known)
    }

    /// Backups still `in_progress`. With the lock held no writer runs, so each is a leftover
    /// of a crashed one and is marked failed; without it, a live lock holder may be writing.
    private static func interruptedBackups(
        _ repository: any RepositoryReadable, liveWriter: LockHolder?, repairing: Repository?
    ) throws -> [CheckFinding] {
        let rows = try CatalogAccess.read(repository.catalogReader) { db in
            try Row.fetchAll(db, sql: "SELECT id, node, created_at FROM backup WHERE state = 'in_progress' ORDER BY id")
        }
        var findings: [CheckFinding] = []
        for row in rows {
            let id: Int64 = row["id"], node: String = row["node"], created: String = row["created_at"]
            if let liveWriter {
                findings.append(CheckFinding(
                    "backup_in_progress", .info,
                    "backup \(id) of \(node) (started \(created)) is in progress; `warren \(liveWriter.command)` (pid \(liveWriter.pid) on \(liveWriter.host)) holds the lock",
                    backup: id))
                continue
            }
            var fixed = false
            if let repairing {
                fixed = try repairing.catalog.markFailed(
                    id: id, failure: "interrupted: the process writing it stopped before it completed (marked failed by `warren check`)")
            }
            findings.append(CheckFinding(
                "backup_interrupted", .warning,
                "backup \(id) of \(node) (started \(created)) was left in progress by a writer that is gone" + (fixed ? "; marked failed" : ""),
                fix: fixed ? "`warren prune` removes failed backups; take or register the backup again" : "run `warren check` (without --dry-run) to mark it failed",
                fixed: fixed, backup: id))
        }
        return findings
    }
}
