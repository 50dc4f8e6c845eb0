import Foundation
import GRDB

/// `warren prune`: applies the retention policy per node, then deletes what it does not
/// keep, crash-safely (see ``BackupDeleter`` and ``ObjectReaper``).
///
/// A real prune holds the repository's write lock throughout, and plans *inside* its
/// deletion transaction: pins, verdicts and stored policies written meanwhile by commands
/// that do not take the lock are either seen by the plan or applied after the deletion.
/// A dry run reads one snapshot and changes nothing (not even the lock file).
public struct Pruner: Sendable {
    public let repository: Repository
    public var lockOptions = RepositoryLock.Options()

    public init(repository: Repository) {
        self.repository = repository
    }

    public func prune(_ request: PruneRequest) throws -> PruneReport {
        if request.dryRun { return try Self.dryRun(request, in: repository) }
        try Self.validate(request)
        return try repository.withExclusiveLock(command: "prune", options: lockOptions) {
            let reaper = ObjectReaper(repository: repository)
            let leftover = try reaper.finishPending()
            let manifests = repository.manifests
            var report: PruneReport
            let tombstoned = TombstoneList()
            do {
                report = try repository.catalog.deleteBackups(cause: .prune) { db in
                    let report = try Self.plan(db, request)
                    // Tombstones first: from here on a rebuild never brings these back.
                    tombstoned.ids = report.removedIDs
                    try manifests.writeTombstones(report.removedIDs)
                    return (report.removedIDs, report)
                }
            } catch {
                // Rolled back: the backups stay, so must their manifests (check cancels any
                // tombstone left by a crash here).
                try? manifests.removeTombstones(tombstoned.ids)
                throw error
            }
            try manifests.finishDeletion(report.removedIDs)
            try manifests.finishInterruptedDeletions(catalog: repository.catalog)
            report.setFreed(leftover + (try reaper.finishPending()))
            report.removedTemporaryFiles = TemporaryFiles(store: repository.objects).removeStale().objects
            // Copy the deletion from the WAL into catalog.sqlite now, while readers go on
            // reading; otherwise the last connection's close does it under an exclusive lock.
            try? repository.catalog.checkpoint(.full)
            return report
        }
    }

    /// The plan and what it would free, from one snapshot; changes nothing and takes no
    /// lock. Open the repository with ``ReadOnlyRepository/openIfCurrent(at:)`` to leave
    /// even `catalog.sqlite`'s header untouched.
    public static func dryRun(_ request: PruneRequest, in repository: any RepositoryReadable) throws -> PruneReport {
        try validate(request)
        return try CatalogAccess.read(repository.catalogReader) { db in
            var report = try plan(db, PruneRequest(policy: request.policy, node: request.node, dryRun: true, configured: request.configured))
            report.setFreed(try BackupDeleter.estimate(report.removedIDs, in: db))
            report.removedTemporaryFiles = TemporaryFiles(store: repository.objects).stale().count
            return report
        }
    }

    /// The checks `prune` and `dryRun` make first, for a face to call before it starts.
    public static func validate(_ request: PruneRequest) throws {
        try request.policy?.validate()
        if let node = request.node { try BackupNaming.validate(node: node, label: nil) }
    }

    /// The plan, from the catalog as `db` sees it.
    static func plan(_ db: Database, _ request: PruneRequest) throws -> PruneReport {
        let stored = try PolicyStore.load(db)
        let flags = request.policy.flatMap { $0.isEmpty ? nil : $0 }
        if flags == nil {
            let applicable = request.node.map { node in stored.contains { $0.node == node || $0.isDefault } } ?? !stored.isEmpty
            guard applicable || request.configured?.applies(to: request.node) == true else {
                let scope = request.node.map { "for node \($0) (nor a default)" } ?? "(see `warren policy set`)"
                throw WarrenError.invalidArgument(
                    name: "prune",
                    reason: "no --keep-* flag given and no stored or configured policy \(scope); refusing, since prune never means \"delete everything\"")
            }
        }
        let candidates = try loadCandidates(db, node: request.node)
        let applied = Set(candidates.map(\.node)).sorted().map {
            AppliedPolicy.resolve(node: $0, flags: flags, configured: request.configured, stored: stored)
        }
        let byNode = Dictionary(uniqueKeysWithValues: applied.map { ($0.node, $0.policy) })
        let decisions = RetentionPlanner.plan(candidates) { byNode[$0] ?? nil }
        return PruneReport(dryRun: request.dryRun, node: request.node, policies: applied, backups: decisions)
    }

    static func loadCandidates(_ db: Database, node: String?) throws -> [RetentionCandidate] {
        var sql = "SELECT id, node, taken_at, pinned, state, last_verdict FROM backup"
        var arguments: StatementArguments = []
        if let node {
            sql += " WHERE node = ?"
            arguments += [node]
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let takenAt: String = row["taken_at"]
            return RetentionCandidate(
                id: row["id"], node: row["node"], takenAt: UTCCalendar.parse(takenAt) ?? Date(timeIntervalSince1970: 0),
                pinned: row["pinned"], state: row["state"], lastVerdict: row["last_verdict"])
        }
    }
}
