import Foundation

/// The incremental half of the rebuild: an S3 repository's catalog is a local cache of the
/// bucket (``S3CatalogCache``), brought up to date on every open from the manifests and
/// state documents, with the rebuild's own importer
/// (``CatalogRebuilder/record(_:skipping:from:into:progress:)``).
extension CatalogRebuilder {
    /// What a synchronisation changed in the cache.
    public struct SyncReport: Sendable, Equatable {
        /// Backups recorded from manifests the cache did not have.
        public var added: [Int64] = []
        /// Backups dropped from the cache: their manifests are gone, or tombstoned.
        public var dropped: [Int64] = []
        /// Manifests and state documents that could not be read.
        public var unreadable: [String] = []
    }

    /// Brings `catalog` up to date with the manifests, tombstones and state documents in
    /// `storage` (the repository's documents, unsealed). A manifest is read only when the
    /// cache has no complete backup of its id; an `in_progress` row is left alone (a writer
    /// on this host may be finishing it); a `failed` one is replaced by the manifest a
    /// writer elsewhere stored under that id. Complete backups whose manifest is gone or
    /// tombstoned are dropped. Ids up to the highest the repository has used are reserved,
    /// so that this host's next backup takes a fresh one.
    public static func synchronise(_ catalog: Catalog, from storage: any RepositoryStorage) throws -> SyncReport {
        let manifests = ManifestStore(storage: storage)
        let tombstones = Set(try manifests.tombstoneIDs())
        let stored = try manifests.manifestIDs()
        let live = Set(stored).subtracting(tombstones)
        let cached = try catalog.backupStates()
        var report = SyncReport()

        let missing = stored.filter { id in
            guard live.contains(id) else { return false }
            switch cached[id] {
            case nil, .failed?: return true
            case .complete?, .inProgress?: return false
            }
        }
        let imported = try record(missing, skipping: tombstones, from: manifests, into: catalog)
        report.added = imported.recorded
        report.unreadable = imported.unreadable

        report.dropped = cached.filter { $0.value == .complete && !live.contains($0.key) }.map(\.key).sorted()
        try catalog.dropBackups(report.dropped)

        // Rows recorded anew (or dropped) get their pin and verdict documents applied again.
        try CatalogAccess.write(catalog) { try RepositoryStateStore.forgetApplied(report.added + report.dropped, in: $0) }
        report.unreadable += try catalog.applyRepositoryState(RepositoryStateStore(storage: storage))
        if let highest = tombstones.union(stored).max() { try catalog.reserveBackupIDs(through: highest) }
        return report
    }
}
