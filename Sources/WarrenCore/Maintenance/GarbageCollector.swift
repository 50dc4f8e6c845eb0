import Foundation
import GRDB

/// `warren gc`: deletes every object file that no backup references (a manifest row or a
/// definitions checksum), finishes deletions an interrupted prune left queued, brings the
/// `object` table in line with `objects/`, and removes stale `tmp/` files. In a packed
/// bucket (``PackedStorage``) it also deletes packs no index names, once older than the
/// safety window; a pack some of whose objects are still referenced stays (no repacking).
///
/// Runs under the repository's write lock, because a writer stores objects before the
/// transaction that references them; in an S3 repository under the bucket's lock object too
/// (``Repository/withExclusiveLock(command:options:_:)``), and there an unreferenced object
/// younger than ``safetyWindow`` (by its `LastModified`) is never deleted: registers on other
/// hosts do not take that lock, and upload their objects before their manifest names them. Deletion goes through the `object_deletion` queue, so
/// a crash at any point is finished by the next gc or prune.
public struct GarbageCollector: Sendable {
    public let repository: Repository
    public var lockOptions = RepositoryLock.Options()
    /// S3 repositories: seconds an unreferenced object must have existed before gc deletes it.
    public var safetyWindow: Double = Self.defaultSafetyWindow

    /// One hour.
    public static let defaultSafetyWindow: Double = 3600

    public init(repository: Repository) {
        self.repository = repository
    }

    public func collect(dryRun: Bool = false) throws -> GCReport {
        if dryRun { return try Self.dryRun(in: repository) }
        return try repository.withExclusiveLock(command: "gc", options: lockOptions) {
            let reaper = ObjectReaper(repository: repository)
            let leftover = try reaper.finishPending()
            // Manifests of backups a killed prune already removed from the catalog (issue 17).
            try repository.manifests.finishInterruptedDeletions(catalog: repository.catalog)
            let found = try Self.survey(repository, dryRun: false, safetyWindow: safetyWindow)
            try CatalogAccess.write(repository.catalog) { db in
                let now = Timestamp.format(Date())
                let queue = try db.makeStatement(sql: "INSERT OR REPLACE INTO object_deletion (sha256, size, queued_at) VALUES (?, ?, ?)")
                let dropRow = try db.makeStatement(sql: "DELETE FROM object WHERE sha256 = ?")
                for file in found.garbage {
                    try queue.execute(arguments: [file.id.data, file.size, now])
                    try dropRow.execute(arguments: [file.id.data])
                }
                for id in found.staleRows { try dropRow.execute(arguments: [id.data]) }
                let addRow = try db.makeStatement(sql: "INSERT OR IGNORE INTO object (sha256, size, stored_at) VALUES (?, ?, ?)")
                for file in found.missingRows { try addRow.execute(arguments: [file.id.data, file.size, now]) }
            }
            let removed = try reaper.finishPending()
            // Packs a killed writer left without an index: nothing can name their objects.
            if let packed = repository.objects.storage as? PackedStorage {
                for pack in found.unindexedPacks {
                    try repository.heldBucketLock.ensureHeld()
                    try S3Failure.wrapping { try packed.deleteUnindexedPack(pack.id) }
                }
            }
            let temporaries = TemporaryFiles(store: repository.objects).removeStale()
            var report = found.report
            report.freedObjects = leftover.objects + removed.objects
            report.freedBytes = leftover.bytes + removed.bytes
            report.removedTemporaryFiles = temporaries.objects
            report.removedTemporaryBytes = temporaries.bytes
            return report
        }
    }

    static let unreferencedRowsSQL = """
        SELECT o.sha256 FROM object o
        WHERE NOT EXISTS (SELECT 1 FROM manifest_file m WHERE m.sha256 = o.sha256)
          AND NOT EXISTS (SELECT 1 FROM backup b WHERE b.definitions_sha256 = o.sha256)
        """

    private struct Survey {
        var garbage: [ObjectDirectory.File] = []
        var missingRows: [ObjectDirectory.File] = []
        var staleRows: [ObjectID] = []
        /// Unindexed packs older than the safety window.
        var unindexedPacks: [PackedStorage.ListedPack] = []
        var report: GCReport
    }

    /// What a gc would delete, without deleting anything or taking the lock. Open the
    /// repository with ``ReadOnlyRepository/openIfCurrent(at:)`` to leave `catalog.sqlite`
    /// byte for byte untouched.
    public static func dryRun(in repository: any RepositoryReadable, safetyWindow: Double = defaultSafetyWindow) throws -> GCReport {
        try survey(repository, dryRun: true, safetyWindow: safetyWindow).report
    }

    /// What is garbage, from one catalog snapshot and one walk of `objects/` (one listing of
    /// a bucket's). In a bucket, an unreferenced object younger than `safetyWindow` (or
    /// whose age the listing did not say) is kept.
    private static func survey(_ repository: any RepositoryReadable, dryRun: Bool, safetyWindow: Double) throws -> Survey {
        let scanned = try ObjectDirectory.scan(repository.objects)
        let inBucket = !repository.objects.isLocal
        let listedNames = Set(scanned.objects.map(\.id))
        let youngSince = Date().addingTimeInterval(-safetyWindow)
        let stale = TemporaryFiles(store: repository.objects).stale()
        return try CatalogAccess.read(repository.catalogReader) { db in
            let directory = try scanned.translated(for: repository.objects, db: db)
            let probe = ReferenceProbe(db: db)
            var survey = Survey(report: GCReport(
                dryRun: dryRun, freedObjects: 0, freedBytes: 0, objectRowsAdded: 0, objectRowsRemoved: 0,
                removedTemporaryFiles: stale.count, removedTemporaryBytes: stale.reduce(0) { $0 + $1.size },
                unexpectedFiles: directory.unexpected))
            for file in directory.objects {
                if try probe.isReferenced(file.id) {
                    if try probe.recordedSize(file.id) == nil { survey.missingRows.append(file) }
                } else if inBucket, (file.modified ?? .distantFuture) > youngSince {
                    survey.report.youngObjectsKept += 1
                } else {
                    survey.garbage.append(file)
                }
            }
            for pack in directory.unindexedPacks {
                if (pack.modified ?? .distantFuture) > youngSince {
                    survey.report.youngPacksKept += 1
                } else {
                    survey.unindexedPacks.append(pack)
                }
            }
            survey.report.unindexedPacksRemoved = survey.unindexedPacks.count
            survey.report.unindexedPackBytes = survey.unindexedPacks.reduce(0) { $0 + $1.size }
            // Rows of unreferenced objects whose file is already gone.
            for data in try Data.fetchAll(db, sql: Self.unreferencedRowsSQL) {
                guard let id = ObjectID(bytes: Array(data)) else { continue }
                if inBucket {
                    guard !listedNames.contains(repository.objects.sealing?.storedID(of: id) ?? id) else { continue }
                } else if try Posix.lstatIfExists(repository.objects.path(of: id)) != nil {
                    continue
                }
                survey.staleRows.append(id)
            }
            survey.report.freedObjects = survey.garbage.count
            survey.report.freedBytes = survey.garbage.reduce(0) { $0 + $1.size }
            survey.report.objectRowsAdded = survey.missingRows.count
            survey.report.objectRowsRemoved = survey.staleRows.count
            return survey
        }
    }
}
