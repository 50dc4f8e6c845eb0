import Foundation
import GRDB

/// `warren catalog rebuild`: recreates `catalog.sqlite` from the repository alone (the
/// manifests and tombstones under ``RepositoryStorage``), the way restic rebuilds its cache
/// and pgBackRest reads `backup.manifest`.
///
/// The new catalog is built in the repository's `tmp/` and renamed into place, so a crash
/// leaves the old file (or none) and a temporary file, never half a catalog. A healthy
/// catalog is only replaced with `force`, and is then kept as `catalog.sqlite.before-rebuild`.
public struct CatalogRebuilder: Sendable {
    public let repositoryPath: String
    /// Where to write; nil replaces the repository's own `catalog.sqlite`.
    public var output: String?
    public var force = false
    public var lockOptions = RepositoryLock.Options()

    public init(repositoryPath: String, output: String? = nil, force: Bool = false) {
        self.repositoryPath = Repository.absolute(repositoryPath)
        self.output = output.map(Repository.absolute)
        self.force = force
    }

    /// What a rebuild did.
    public struct Report: Sendable, Codable, Equatable {
        public var catalog: String
        /// Backups recorded from their manifests.
        public var backups: Int
        public var files: Int
        /// Manifests left out because their backup is being or was deleted (a tombstone).
        public var deleted: [Int64]
        /// Manifests that could not be read (damaged): their backups are not in the new catalog.
        public var unreadable: [String]
        /// Where the replaced catalog was kept, if one was.
        public var previousCatalog: String?
        /// What the repository does not hold, so the new catalog lacks it.
        public var notRebuilt: [UnrebuiltRecord] = UnrebuiltRecord.allCases
    }

    /// - Parameter password: asked only when the repository is encrypted (its manifests and
    ///   state are sealed); the key is opened before the lock is taken, so a missing or wrong
    ///   password (exit 2) writes nothing.
    public func rebuild(password: Repository.PasswordProvider? = nil, progress: ProgressHandler? = nil) throws -> Report {
        let root = repositoryPath
        guard try Posix.lstatIfExists(root)?.isDirectory == true,
              try Posix.lstatIfExists(root + "/objects")?.isDirectory == true else {
            throw WarrenError.repositoryNotFound(path: root, reason: "it has no objects/ directory, so there is nothing to rebuild from")
        }
        let live = root + "/catalog.sqlite"
        let target = output ?? live
        if !force, try Posix.lstatIfExists(target) != nil {
            if target != live {
                throw WarrenError.rebuildRefused(path: target, reason: "exists")
            }
            if let health = Self.healthy(root) {
                throw WarrenError.rebuildRefused(path: target, reason: "is a healthy catalog (\(health))")
            }
        }
        let (_, keyRing) = try Repository.unlock(LocalDirectoryStorage(root: root), password: password)
        let lock = try RepositoryLock.acquire(repositoryPath: root, command: "catalog rebuild", options: lockOptions)
        defer { lock.release() }

        let access = RepositoryAccess.of(repositoryPath: root)
        let storage = SealedDocumentStorage.wrapping(LocalDirectoryStorage(root: root, access: access), keyRing: keyRing)
        try Posix.mkdirIfMissing(root + "/tmp", mode: access.directoryMode)
        return try Self.build(from: storage, temporaryDirectory: root + "/tmp", target: target, live: live, repositoryPath: root,
                              access: access, progress: progress)
    }

    /// Builds a catalog from `storage`'s manifests, tombstones and state documents in
    /// `temporaryDirectory`, then renames it to `target` (keeping a `live` catalog it
    /// replaces as `catalog.sqlite.before-rebuild`). The caller holds the lock.
    static func build(
        from storage: any RepositoryStorage, temporaryDirectory: String, target: String, live: String, repositoryPath root: String,
        access: RepositoryAccess, progress: ProgressHandler?
    ) throws -> Report {
        let manifests = ManifestStore(storage: storage)
        let temp = temporaryDirectory + "/\(getpid())-rebuild.sqlite"  // PID-…: removed as stale by gc/check if killed
        for suffix in ["", "-wal", "-shm"] { unlink(temp + suffix) }

        var report = Report(catalog: target, backups: 0, files: 0, deleted: [], unreadable: [], previousCatalog: nil)
        do {
            let catalog = try Catalog(creatingAt: temp, mode: access.fileMode)
            let tombstones = Set(try manifests.tombstoneIDs())
            let ids = try manifests.manifestIDs()
            let imported = try catalog.bulkLoad {
                try Self.record(ids, skipping: tombstones, from: manifests, into: catalog, progress: progress)
            }
            report.backups = imported.backups
            report.files = imported.files
            report.deleted = imported.deleted
            report.unreadable = imported.unreadable
            // Pins, verdicts and policies (issue 17 §2), for the backups just recorded.
            report.unreadable += try catalog.applyRepositoryState(RepositoryStateStore(storage: storage))
            // Ids of deleted backups are never handed out again.
            if let highest = tombstones.max() { try catalog.reserveBackupIDs(through: highest) }
            try catalog.checkpoint(.truncate)
            try catalog.closeConnections()
        } catch {
            for suffix in ["", "-wal", "-shm"] { unlink(temp + suffix) }
            throw error
        }

        if try Posix.lstatIfExists(target) != nil, target == live {
            // The old catalog goes aside with its WAL, so that it stays what it was.
            let kept = live + ".before-rebuild"
            for suffix in ["", "-wal", "-shm"] {
                unlink(kept + suffix)
                if try Posix.lstatIfExists(live + suffix) != nil { try Posix.renameOrThrow(live + suffix, kept + suffix) }
            }
            report.previousCatalog = kept
        }
        for suffix in ["-wal", "-shm"] { unlink(target + suffix) }
        try Posix.renameOrThrow(temp, target)
        for suffix in ["-wal", "-shm"] { unlink(temp + suffix) }
        try Posix.fsyncDirectory((target as NSString).deletingLastPathComponent)
        if target == live {
            // One open creates the -wal and -shm files that stay, which a group member needs.
            _ = try? Catalog(openingExistingAt: target, repositoryPath: root)
        }
        return report
    }

    /// Why the repository's catalog counts as healthy, or nil when it cannot be opened or
    /// fails SQLite's integrity check.
    static func healthy(_ root: String) -> String? {
        guard let repository = try? Repository.openCatalogOnly(at: root) else { return nil }
        return healthy(repository.catalog)
    }

    /// Why `catalog` counts as healthy, or nil when it fails SQLite's integrity check.
    static func healthy(_ catalog: Catalog) -> String? {
        guard let check = try? CatalogAccess.read(catalog, { try String.fetchAll($0, sql: "PRAGMA integrity_check") }),
              check == ["ok"] else { return nil }
        let count = (try? CatalogAccess.read(catalog) { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM backup") ?? 0 }) ?? 0
        return "it opens, passes integrity_check and holds \(count) backups"
    }

    static let batchSize = 200

    /// What ``record(_:skipping:from:into:progress:)`` did.
    struct Imported: Sendable, Equatable {
        var backups = 0
        var files = 0
        /// Ids left out because they are in the tombstones.
        var deleted: [Int64] = []
        /// Manifests that could not be read.
        var unreadable: [String] = []
        /// Ids of the backups recorded.
        var recorded: [Int64] = []
    }

    /// One manifest as ``record(_:skipping:from:into:progress:)`` read it.
    enum LoadedManifest: Sendable {
        case deleted(Int64)
        case loaded(BackupManifest)
        case unreadable(String)
        case missing
    }

    /// Reads the manifests `ids` (except those in `tombstones`) from `manifests` and records
    /// their backups as complete in `catalog`, `batchSize` to a transaction: the one importer,
    /// used by a rebuild and by the synchronisation of an S3 repository's cache
    /// (``synchronise(_:from:)``). A row the catalog already has for an id that is not
    /// complete (a `failed` one) is replaced.
    static func record(
        _ ids: [Int64], skipping tombstones: Set<Int64>, from manifests: ManifestStore, into catalog: Catalog,
        progress: ProgressHandler? = nil, batchSize: Int = Self.batchSize
    ) throws -> Imported {
        var imported = Imported()
        let tracker = ProgressTracker(phase: "rebuilding", bytesTotal: 0, filesTotal: ids.count, handler: progress)
        let batches = stride(from: 0, to: ids.count, by: batchSize).map { Array(ids[$0..<min($0 + batchSize, ids.count)]) }
        // Reading and decoding the manifests is half the work: the next batch is read on
        // other threads while SQLite writes this one.
        let read: @Sendable ([Int64]) -> BackgroundResult<[LoadedManifest]> = { batch in
            BackgroundResult {
                try Parallel.map(batch, workers: ProcessInfo.processInfo.activeProcessorCount, makeState: {}) { id, _ in
                    if tombstones.contains(id) { return .deleted(id) }
                    switch try manifests.read(id) {
                    case .success(let manifest)?: return .loaded(manifest)
                    case .failure(let damage)?: return .unreadable(damage.description)
                    case nil: return .missing
                    }
                }
            }
        }
        // Objects recorded by earlier batches: their `object` rows are not written again.
        var knownObjects = Set<DigestKey>()
        var next = batches.first.map(read)
        for (number, batch) in batches.enumerated() {
            let results = try next!.value()
            next = number + 1 < batches.count ? read(batches[number + 1]) : nil
            var loaded: [BackupManifest] = []
            for result in results {
                switch result {
                case .deleted(let id): imported.deleted.append(id)
                case .loaded(let manifest): loaded.append(manifest)
                case .unreadable(let damage): imported.unreadable.append(damage)
                case .missing: break
                }
            }
            try catalog.recordRebuiltBackups(loaded, knownObjects: &knownObjects)
            imported.backups += loaded.count
            imported.files += loaded.reduce(0) { $0 + $1.files.count }
            imported.recorded += loaded.map(\.backup.id)
            tracker.add(files: batch.count)
        }
        return imported
    }
}
