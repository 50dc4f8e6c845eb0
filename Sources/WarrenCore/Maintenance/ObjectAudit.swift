import Foundation
import GRDB

/// The object half of `warren check`: every object the catalog references is on disk with
/// its recorded size; every file on disk is referenced; the `object` table matches both.
struct ObjectAudit {
    let repository: any RepositoryReadable
    /// A writer running now (only known without the lock): its objects may not be
    /// referenced yet, so unreferenced files are reported as info, not as problems.
    let liveWriter: LockHolder?

    static let detailLimit = 100

    struct Result {
        var referenced = 0
        var stored = 0
        var findings: [CheckFinding] = []
    }

    func run() throws -> Result {
        let scanned = try ObjectDirectory.scan(repository.objects)
        // A bucket's objects by stored name, from the one listing (no HEAD per object).
        let listed: [ObjectID: Int64]? = repository.objects.isLocal
            ? nil : Dictionary(scanned.objects.map { ($0.id, $0.size) }, uniquingKeysWith: { first, _ in first })
        let temporaries = TemporaryFiles(store: repository.objects).stale()
        let (found, directory) = try CatalogAccess.read(repository.catalogReader) { db in
            let directory = try scanned.translated(for: repository.objects, db: db)
            var result = Result()
            result.stored = directory.objects.count
            try checkReferenced(db, listed: listed, into: &result)
            try checkStored(db, directory, listed: listed, into: &result)
            return (result, directory)
        }
        var result = found
        if !directory.unexpected.isEmpty {
            let sample = directory.unexpected.prefix(10).joined(separator: ", ")
            result.findings.append(CheckFinding(
                "unexpected_files", .warning,
                "\(directory.unexpected.count) entries under objects/ are not Warren objects: \(sample)",
                fix: "Warren never deletes them; move them out of objects/", count: directory.unexpected.count))
        }
        if !directory.unindexedPacks.isEmpty {
            let bytes = directory.unindexedPacks.reduce(Int64(0)) { $0 + $1.size }
            let sample = directory.unindexedPacks.prefix(10).map { "packs/" + $0.id }.joined(separator: ", ")
            result.findings.append(CheckFinding(
                "pack_unindexed", .warning,
                "\(directory.unindexedPacks.count) packs have no index (a writer was killed between a pack and its index): \(sample)",
                fix: "`warren gc` deletes them once they are older than its safety window", count: directory.unindexedPacks.count, bytes: bytes))
        }
        if !temporaries.isEmpty {
            let bytes = temporaries.reduce(Int64(0)) { $0 + $1.size }
            result.findings.append(CheckFinding(
                "stale_temporaries", .warning, "\(temporaries.count) files in tmp/ were left by writers that are gone",
                fix: "`warren check` or `warren gc` removes them", count: temporaries.count, bytes: bytes))
        }
        return result
    }

    /// Referenced but missing, or of the wrong size.
    private func checkReferenced(_ db: Database, listed: [ObjectID: Int64]?, into result: inout Result) throws {
        var missing: [ObjectID] = []
        var rowsMissing = 0
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT r.sha256 AS sha256, o.size AS size
            FROM (SELECT sha256 FROM manifest_file
                  UNION SELECT definitions_sha256 FROM backup WHERE definitions_sha256 IS NOT NULL) r
            LEFT JOIN object o ON o.sha256 = r.sha256
            """)
        while let row = try cursor.next() {
            guard let id = ObjectID(bytes: Array(row["sha256"] as Data)) else { continue }
            result.referenced += 1
            let recorded: Int64? = row["size"]
            guard let storedSize = try storedSize(of: id, listed: listed) else {
                missing.append(id)
                continue
            }
            if let recorded, repository.objects.storedSize(ofPlain: recorded) != storedSize {
                if result.findings.count < Self.detailLimit {
                    result.findings.append(CheckFinding(
                        "object_size_mismatch", .error,
                        "object \(id.short)… is \(storedSize) bytes, \(repository.objects.storedSize(ofPlain: recorded)) expected: it was truncated or replaced",
                        fix: "restore objects/ from another copy, then `warren verify --full` the backups using it",
                        object: id.hex, bytes: storedSize))
                }
            } else if recorded == nil {
                rowsMissing += 1
            }
        }
        for id in missing.prefix(Self.detailLimit) {
            let users = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT backup_id FROM manifest_file WHERE sha256 = ?
                UNION SELECT id FROM backup WHERE definitions_sha256 = ? ORDER BY 1 LIMIT 20
                """, arguments: [id.data, id.data])
            result.findings.append(CheckFinding(
                "object_missing", .error,
                "object \(id.short)… is referenced by backup(s) \(users.map(String.init).joined(separator: ", ")) but is not in objects/",
                fix: "restore objects/ from another copy of the repository; otherwise those backups cannot be restored whole",
                backup: users.first, object: id.hex))
        }
        if missing.count > Self.detailLimit {
            result.findings.append(CheckFinding(
                "object_missing", .error, "\(missing.count - Self.detailLimit) more referenced objects are missing",
                fix: "restore objects/ from another copy of the repository", count: missing.count - Self.detailLimit))
        }
        if rowsMissing > 0 {
            result.findings.append(CheckFinding(
                "object_rows_inconsistent", .warning, "\(rowsMissing) stored, referenced objects have no row in the object table",
                fix: "run `warren gc` (it re-adds them)", count: rowsMissing))
        }
    }

    /// Present but unreferenced, queued deletions, and rows left for deleted objects.
    /// The stored size of the object whose plain id is `id`, nil when it is not there (or,
    /// in a local directory, not a regular file).
    private func storedSize(of id: ObjectID, listed: [ObjectID: Int64]?) throws -> Int64? {
        if let listed { return listed[repository.objects.sealing?.storedID(of: id) ?? id] }
        guard let st = try Posix.lstatIfExists(repository.objects.path(of: id)), st.isRegular else { return nil }
        return st.size
    }

    private func checkStored(_ db: Database, _ directory: ObjectDirectory, listed: [ObjectID: Int64]?, into result: inout Result) throws {
        let probe = ReferenceProbe(db: db)
        var unreferenced = 0
        var unreferencedBytes: Int64 = 0
        for file in directory.objects where try !probe.isReferenced(file.id) {
            unreferenced += 1
            unreferencedBytes += file.size
        }
        let writerNote = liveWriter.map { " (`warren \($0.command)`, pid \($0.pid), is running: these may be its work in progress)" } ?? ""
        if unreferenced > 0 {
            result.findings.append(CheckFinding(
                "objects_unreferenced", liveWriter == nil ? .warning : .info,
                "\(unreferenced) object files (\(unreferencedBytes) bytes) are referenced by no backup\(writerNote)",
                fix: "run `warren gc` to delete them", count: unreferenced, bytes: unreferencedBytes))
        }
        let pending = try ObjectReaper.pendingCount(db)
        if pending > 0 {
            result.findings.append(CheckFinding(
                "deletion_interrupted", liveWriter == nil ? .warning : .info,
                "\(pending) object deletions were queued by a prune or gc that did not finish\(writerNote)",
                fix: "run `warren gc` (or the next `warren prune`) to finish them", count: pending))
        }
        var staleRows = 0
        for data in try Data.fetchAll(db, sql: GarbageCollector.unreferencedRowsSQL) {
            guard let id = ObjectID(bytes: Array(data)) else { continue }
            if let listed {
                guard listed[repository.objects.sealing?.storedID(of: id) ?? id] == nil else { continue }
            } else if try Posix.lstatIfExists(repository.objects.path(of: id)) != nil {
                continue
            }
            staleRows += 1
        }
        if staleRows > 0 {
            result.findings.append(CheckFinding(
                "object_rows_inconsistent", .warning, "\(staleRows) object rows name objects that are gone and unreferenced",
                fix: "run `warren gc` (it removes them)", count: staleRows))
        }
    }
}
