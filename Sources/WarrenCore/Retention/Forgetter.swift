import Foundation
import GRDB

/// `warren forget ID...`: deletes chosen backups with the same crash-safe machinery as
/// `prune` (manifest tombstones, ``BackupDeleter`` in one transaction, then ``ObjectReaper``), like restic's
/// `forget ID` or Barman's `delete`.
///
/// Every id is checked before anything is deleted: an unknown id, or a pinned backup
/// without `force`, refuses the whole request and changes nothing.
public struct Forgetter: Sendable {
    public let repository: Repository
    public var lockOptions = RepositoryLock.Options()

    public init(repository: Repository) {
        self.repository = repository
    }

    /// Deletes the backups under the repository's write lock.
    public func forget(ids: [Int64], force: Bool) throws -> ForgetReport {
        try Self.validate(ids)
        return try repository.withExclusiveLock(command: "forget", options: lockOptions) {
            let reaper = ObjectReaper(repository: repository)
            let leftover = try reaper.finishPending()
            let manifests = repository.manifests
            let tombstoned = TombstoneList()
            let backups: [BackupSummary]
            do {
                backups = try repository.catalog.deleteBackups(cause: .forget) { db in
                    let backups = try Self.check(db, ids: ids, force: force)
                    // Tombstones first, as prune does: from here on a rebuild never brings these back.
                    tombstoned.ids = backups.map(\.id)
                    try manifests.writeTombstones(tombstoned.ids)
                    return (tombstoned.ids, backups)
                }
            } catch {
                // Rolled back: the backups stay, so must their manifests.
                try? manifests.removeTombstones(tombstoned.ids)
                throw error
            }
            try manifests.finishDeletion(backups.map(\.id))
            try manifests.finishInterruptedDeletions(catalog: repository.catalog)
            let freed = leftover + (try reaper.finishPending())
            try? repository.catalog.checkpoint(.full)
            return ForgetReport(dryRun: false, backups: backups, freed: freed)
        }
    }

    /// What ``forget(ids:force:)`` would delete and free, from one snapshot; changes
    /// nothing and takes no lock. The same refusals apply.
    public static func dryRun(ids: [Int64], force: Bool, in repository: any RepositoryReadable) throws -> ForgetReport {
        try validate(ids)
        return try CatalogAccess.read(repository.catalogReader) { db in
            let backups = try check(db, ids: ids, force: force)
            return ForgetReport(dryRun: true, backups: backups, freed: try BackupDeleter.estimate(backups.map(\.id), in: db))
        }
    }

    /// At least one id.
    public static func validate(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { throw WarrenError.invalidArgument(name: "ids", reason: "name at least one backup id (see `warren list`)") }
    }

    /// The named backups, each once; refuses unknown ids and, unless `force`, pinned backups.
    static func check(_ db: Database, ids: [Int64], force: Bool) throws -> [BackupSummary] {
        var seen = Set<Int64>()
        let backups = try ids.filter { seen.insert($0).inserted }.map { try CatalogQueries.summary(db, id: $0) }
        let pinned = backups.filter(\.pinned)
        if !force, !pinned.isEmpty {
            let named = pinned.map { b in "\(b.id)" + (b.pinNote.map { " (\($0))" } ?? "") }.joined(separator: ", ")
            throw WarrenError.invalidArgument(
                name: "force",
                reason: (pinned.count == 1 ? "backup \(named) is" : "backups \(named) are") + " pinned; nothing was deleted. Unpin (`warren unpin ID`) or pass --force")
        }
        return backups
    }
}
