import GRDB

/// Backup manifests and deletion tombstones in a repository's ``RepositoryStorage``.
public struct ManifestStore: Sendable {
    public let storage: any RepositoryStorage

    public init(storage: any RepositoryStorage) {
        self.storage = storage
    }

    /// A stored manifest that cannot be used, and why.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var backupID: Int64
        public var location: String
        public var reason: String
        public var description: String { "the manifest of backup \(backupID) (\(location)) is unusable: \(reason)" }
    }

    /// Writes the manifest (atomic, durable) unless an identical one is there already.
    /// - Throws: ``WarrenError/stepFailed(step:detail:)`` when a different manifest holds the id.
    public func write(_ manifest: BackupManifest) throws {
        let name = StorageName.manifest(backupID: manifest.backup.id)
        let bytes = try Self.encoded(manifest)
        if try storage.put(name, bytes, ifAbsent: true) == .alreadyPresent, try storage.get(name) != bytes {
            throw WarrenError.stepFailed(
                step: "writing the manifest of backup \(manifest.backup.id)",
                detail: "\(storage.describe(name)) already holds a different manifest; run `warren check` to reconcile the catalog with the repository")
        }
    }

    /// The stored form of `manifest`: the same bytes for the same manifest, always.
    static func encoded(_ manifest: BackupManifest) throws -> [UInt8] {
        try ChecksummedDocument.encode(manifest, kind: BackupManifest.kind, version: BackupManifest.currentVersion, keys: .explicit)
    }

    /// The manifest of backup `id`: nil when there is none, ``Unreadable`` when it is damaged.
    public func read(_ id: Int64) throws -> Result<BackupManifest, Unreadable>? {
        let name = StorageName.manifest(backupID: id)
        let bytes: [UInt8]
        do {
            guard let stored = try storage.get(name) else { return nil }
            bytes = stored
        } catch WarrenError.crypto(.decryptionFailed(_, _, let failure)) {
            // A sealed manifest that does not open (a flipped byte, another backup's manifest
            // moved here, a plaintext file in an encrypted repository) is damaged, not fatal.
            return .failure(Unreadable(backupID: id, location: storage.describe(name), reason: "it cannot be decrypted: \(failure)"))
        }
        do {
            let manifest = try ChecksummedDocument.decodeBody(
                of: bytes, kind: BackupManifest.kind, knownVersion: BackupManifest.currentVersion, ManifestDecoder.decode)
            guard manifest.backup.id == id else {
                return .failure(Unreadable(backupID: id, location: storage.describe(name),
                                           reason: "it describes backup \(manifest.backup.id)"))
            }
            return .success(manifest)
        } catch {
            return .failure(Unreadable(backupID: id, location: storage.describe(name), reason: "\(error)"))
        }
    }

    /// Ids of every stored manifest, ascending.
    public func manifestIDs() throws -> [Int64] {
        try storage.list(prefix: StorageName.manifestsPrefix).compactMap(\.backupID).sorted()
    }

    /// Ids of every tombstone (backups being or already deleted), ascending.
    public func tombstoneIDs() throws -> [Int64] {
        try storage.list(prefix: StorageName.tombstonesPrefix).compactMap(\.backupID).sorted()
    }

    /// Marks backups as being deleted: written before the catalog transaction that removes
    /// them, so that a rebuild never brings a deleted backup back.
    public func writeTombstones(_ ids: [Int64]) throws {
        for id in ids {
            try storage.put(.tombstone(backupID: id), Array("warren-tombstone \(id)\n".utf8), ifAbsent: false)
        }
    }

    /// After the catalog no longer holds them: their manifests, then their tombstones.
    public func finishDeletion(_ ids: [Int64]) throws {
        try RepositoryStateStore(storage: storage).removeBackupState(ids)
        for id in ids { try storage.delete(.manifest(backupID: id)) }
        for id in ids { try storage.delete(.tombstone(backupID: id)) }
    }

    /// Settles what a crashed prune left, under the write lock: every tombstone whose
    /// backup `catalog` no longer holds loses its manifest, then itself (the catalog
    /// transaction ran); a tombstone of a backup still there is removed (it did not run, and
    /// the backup stays; a rebuild must not take it for deleted). Returns the ids finished.
    @discardableResult
    public func finishInterruptedDeletions(catalog: Catalog) throws -> [Int64] {
        let tombstones = try tombstoneIDs()
        guard !tombstones.isEmpty else { return [] }
        let present = Set(try CatalogAccess.read(catalog) { try Int64.fetchAll($0, sql: "SELECT id FROM backup") })
        let finished = tombstones.filter { !present.contains($0) }
        try finishDeletion(finished)
        try removeTombstones(tombstones.filter { present.contains($0) })
        return finished
    }

    /// Cancels tombstones of a deletion whose catalog transaction did not happen.
    public func removeTombstones(_ ids: [Int64]) throws {
        for id in ids { try storage.delete(.tombstone(backupID: id)) }
    }

    /// Removes a manifest (one the catalog never completed, or of a deleted backup).
    public func remove(_ id: Int64) throws {
        try storage.delete(.manifest(backupID: id))
    }
}
