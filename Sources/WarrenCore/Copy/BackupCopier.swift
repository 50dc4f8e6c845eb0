import Foundation
import GRDB

/// `warren copy ID… --to REPO`: copies complete backups into another repository, plaintext
/// or encrypted either way. Every object is read through the source's one decrypting reader
/// (``ObjectStore/read(_:chunk:_:)``), its plain SHA-256 checked, and stored by the target's
/// ``ObjectStore`` (sealed under the target's keys and named by its keyed ids when the target
/// is encrypted); the manifest goes through the target's ``RepositoryStorage`` (sealed there
/// when encrypted), so nothing here depends on where either repository lives.
///
/// Per backup, under the target's write lock and in this order: a row `in_progress` (its id
/// is the target's), the missing objects (fsynced), the manifest, then one catalog
/// transaction that records the backup complete. A crash or error in between leaves what a
/// killed `register` leaves (a failed or in-progress row, unreferenced objects for `gc`),
/// never a half-recorded backup. A backup the target already holds (the same node, time,
/// definitions and files: an earlier copy) is skipped.
public struct BackupCopier: Sendable {
    public let source: Repository
    public let target: Repository
    public var lockOptions = RepositoryLock.Options()
    /// Polled before each object (SIGINT/SIGTERM).
    public var checkInterrupted: @Sendable () throws -> Void = {}

    /// The largest object copied (read whole into memory; rdq files are 16 MiB by default).
    static let objectLimit = 4 << 30

    public init(source: Repository, target: Repository) {
        self.source = source
        self.target = target
    }

    /// Copies `ids` in the order given.
    /// - Throws: ``WarrenError/backupNotFound(id:)`` for an id that is not a complete backup
    ///   of the source (nothing is copied then), ``WarrenError/invalidArgument(name:reason:)``
    ///   when both are one repository, or the first error of a copy (earlier backups stay copied).
    public func copy(ids: [Int64], dryRun: Bool = false, progress: ProgressHandler? = nil) throws -> CopyReport {
        guard source.path != target.path else {
            throw WarrenError.invalidArgument(name: "--to", reason: "is the source repository itself (\(target.location)); name another repository")
        }
        var manifests: [BackupManifest] = []
        for id in ids where !manifests.contains(where: { $0.backup.id == id }) {
            guard let manifest = try CatalogAccess.read(source.catalog, { try ManifestLoader.load(id: id, in: $0) }) else {
                throw WarrenError.backupNotFound(id: id)
            }
            manifests.append(manifest)
        }
        var report = CopyReport(dryRun: dryRun, target: target.location, backups: [])
        let body = {
            for manifest in manifests {
                report.backups.append(try copyOne(manifest, dryRun: dryRun, progress: progress))
            }
        }
        if dryRun { try body() } else { try target.withWriteLock(command: "copy", options: lockOptions, body) }
        return report
    }

    /// Every object a backup references (definitions first), once each.
    static func references(_ manifest: BackupManifest) -> [BackupManifest.ObjectReference] {
        var seen = Set<String>()
        return ([manifest.definitions] + manifest.files.map { .init(sha256: $0.sha256, size: $0.size) }).filter { seen.insert($0.sha256).inserted }
    }

    private func copyOne(_ manifest: BackupManifest, dryRun: Bool, progress: ProgressHandler?) throws -> CopyReport.Entry {
        let id = manifest.backup.id
        if let earlier = try existingCopy(of: manifest) {
            return .init(source: id, target: earlier, outcome: .skipped, objects: 0, bytes: 0)
        }
        let missing = try Self.references(manifest).map { ref -> (ObjectID, Int64) in
            guard let object = ObjectID(hex: ref.sha256) else {
                throw WarrenError.stepFailed(step: "copying backup \(id)", detail: "its manifest names an invalid object id \(ref.sha256); run `warren check` on the source")
            }
            return (object, ref.size)
        }.filter { !target.objects.contains($0.0, size: $0.1) }
        let bytes = missing.reduce(Int64(0)) { $0 + $1.1 }
        if dryRun { return .init(source: id, target: nil, outcome: .wouldCopy, objects: missing.count, bytes: bytes) }

        let newID = try target.catalog.beginCopiedBackup(manifest.backup)
        let written = NewObjectLog()
        var manifestWritten = false
        do {
            try Posix.mkdirIfMissing(target.objects.tempPath, mode: target.access.directoryMode)
            let tracker = ProgressTracker(phase: "copying backup \(id)", bytesTotal: bytes, filesTotal: missing.count, handler: progress)
            for (object, size) in missing {
                try checkInterrupted()
                let content = try source.objects.readAll(object, limit: Self.objectLimit)
                let digest = content.withUnsafeBytes { ObjectStore.digest($0) }
                guard digest == object, content.count == size else {
                    throw WarrenError.stepFailed(
                        step: "copying backup \(id)",
                        detail: "object \(object.hex) of the source reads back as \(content.count) bytes with SHA-256 \(digest.hex); it was not copied. Run `warren verify \(id) --full` on the source")
                }
                let stored = try content.withUnsafeBytes { try target.objects.store($0) }
                written.add(stored)
                tracker.add(bytes: size, files: 1)
            }
            try target.objects.syncNewObjects()
            var copied = manifest
            copied.backup.id = newID
            copied.backup.parentID = nil   // the parent was the source's
            copied.backup.addedObjects = missing.count
            copied.backup.addedBytes = bytes
            try target.heldBucketLock.ensureHeld()
            try target.manifests.write(copied)
            manifestWritten = true
            try target.catalog.completeInterruptedBackup(copied)
            return .init(source: id, target: newID, outcome: .copied, objects: missing.count, bytes: bytes)
        } catch {
            let failed = (try? target.catalog.markFailed(id: newID, failure: "copy of backup \(id) from \(source.location): \(error)")) ?? false
            if failed {
                if manifestWritten { try? target.manifests.remove(newID) }
                // Objects uploaded to a bucket stay (another host may already reference one): orphans for gc.
                if target.objects.isLocal { written.removeAll(from: target.objects) }
            }
            target.objects.removeStaleTemporaries()
            throw error
        }
    }

    /// The target's backup that is this one (an earlier copy), if any: the same node and
    /// time, and the same definitions, inventory and files.
    private func existingCopy(of manifest: BackupManifest) throws -> Int64? {
        try CatalogAccess.read(target.catalog) { db in
            let candidates = try Int64.fetchAll(
                db, sql: "SELECT id FROM backup WHERE state = 'complete' AND node = ? AND taken_at = ? ORDER BY id",
                arguments: [manifest.backup.node, manifest.backup.takenAt])
            for candidate in candidates {
                guard let other = try ManifestLoader.load(id: candidate, in: db) else { continue }
                if other.definitions == manifest.definitions, other.files == manifest.files, other.inventory == manifest.inventory,
                   other.storedQueues == manifest.storedQueues {
                    return candidate
                }
            }
            return nil
        }
    }
}
