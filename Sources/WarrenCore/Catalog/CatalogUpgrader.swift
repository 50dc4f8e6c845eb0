import Foundation
import GRDB

/// `warren catalog upgrade`: brings a repository of the shipped format (v1: `catalog.sqlite`
/// and `objects/` only) to the self-describing one (issue 17 §6) by writing, from the
/// catalog, the manifest of every complete backup that has none, and the state documents
/// (pins, last verdicts, policies). Idempotent; takes the repository lock.
public struct CatalogUpgrader: Sendable {
    public let repository: Repository
    public var lockOptions = RepositoryLock.Options()

    public init(repository: Repository) {
        self.repository = repository
    }

    /// What an upgrade wrote.
    public struct Report: Sendable, Codable, Equatable {
        public var manifestsWritten: Int
        public var manifestsPresent: Int
        public var pins: Int
        public var verdicts: Int
        public var policies: Int
    }

    /// True when the repository predates manifests (no `manifests/` directory); never for
    /// an S3 repository, which has had manifests from its start.
    public static func isNeeded(_ repository: Repository) -> Bool {
        guard !repository.isS3 else { return false }
        return (try? Posix.lstatIfExists(repository.path + "/" + StorageName.manifestsPrefix))??.isDirectory != true
    }

    public func upgrade(progress: ProgressHandler? = nil) throws -> Report {
        if repository.isS3 {
            // A bucket has held its manifests and state documents from its start: nothing to
            // write (rewriting state from this host's cache could undo another host's unpin).
            return Report(manifestsWritten: 0, manifestsPresent: try repository.manifests.manifestIDs().count, pins: 0, verdicts: 0, policies: 0)
        }
        return try repository.withWriteLock(command: "catalog upgrade", options: lockOptions) {
            let manifests = repository.manifests
            let state = RepositoryStateStore(storage: repository.storage)
            let present = Set(try manifests.manifestIDs())
            let ids = try CatalogAccess.read(repository.catalog) {
                try Int64.fetchAll($0, sql: "SELECT id FROM backup WHERE state = 'complete' ORDER BY id")
            }
            var report = Report(manifestsWritten: 0, manifestsPresent: 0, pins: 0, verdicts: 0, policies: 0)
            let tracker = ProgressTracker(phase: "upgrading", bytesTotal: 0, filesTotal: ids.count, handler: progress)
            for id in ids {
                defer { tracker.add(files: 1) }
                if present.contains(id) { report.manifestsPresent += 1; continue }
                guard let manifest = try CatalogAccess.read(repository.catalog, { try ManifestLoader.load(id: id, in: $0) }) else { continue }
                try manifests.write(manifest)
                report.manifestsWritten += 1
            }
            let rows = try CatalogAccess.read(repository.catalog) { db in
                try Row.fetchAll(db, sql: """
                    SELECT id, pinned, pin_note, pinned_at, last_verdict, last_verified_at FROM backup WHERE state = 'complete'
                    """)
            }
            for row in rows {
                let id: Int64 = row["id"]
                if (row["pinned"] as Bool?) == true {
                    try state.putPin(.init(note: row["pin_note"], pinnedAt: row["pinned_at"] ?? Timestamp.format(Date())), backupID: id)
                    report.pins += 1
                }
                if let verdict = (row["last_verdict"] as String?).flatMap(Verdict.init(rawValue:)), let at: String = row["last_verified_at"] {
                    try state.putVerdict(.init(verdict: verdict, verifiedAt: at), backupID: id)
                    report.verdicts += 1
                }
            }
            for policy in try PolicyStore(catalog: repository.catalog).list() {
                try state.putPolicy(policy)
                report.policies += 1
            }
            try Posix.mkdirIfMissing(repository.path + "/" + StorageName.manifestsPrefix, mode: repository.access.directoryMode)
            try Posix.fsyncDirectory(repository.path)
            return report
        }
    }
}
