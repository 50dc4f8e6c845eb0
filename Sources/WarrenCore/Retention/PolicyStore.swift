import Foundation
import GRDB

/// Stored retention policies (`warren policy set|show|unset`): one per node, plus a default.
/// Each change is one short catalog write; `prune` reads them inside its own deletion
/// transaction, so a change never lands half-way through a prune.
public struct PolicyStore: Sendable {
    public let catalog: Catalog
    /// Where policies are kept in the repository; nil: the plaintext repository of `catalog`.
    let documents: (any RepositoryStorage)?

    /// Policies of a plaintext repository, found from its catalog (and, for ``list()``, of any).
    public init(catalog: Catalog) {
        self.catalog = catalog
        documents = nil
    }

    /// Policies of `repository` (sealed when it is encrypted).
    public init(repository: Repository) {
        catalog = repository.catalog
        documents = repository.storage
    }

    private func state() throws -> RepositoryStateStore { try .of(documents, catalog: catalog) }

    /// The default first, then nodes by name.
    public func list() throws -> [StoredPolicy] {
        try CatalogAccess.read(catalog) { try Self.load($0) }
    }

    /// Stores `policy` for `node` (nil: the default), replacing what was there.
    @discardableResult
    public func set(_ policy: RetentionPolicy, node: String?) throws -> StoredPolicy {
        try policy.validate()
        guard !policy.isEmpty else {
            throw WarrenError.invalidArgument(name: "policy set", reason: "give at least one --keep-* flag (an empty policy would keep nothing)")
        }
        if let node { try BackupNaming.validate(node: node, label: nil) }
        let stored = StoredPolicy(node: node, policy: policy, updatedAt: Timestamp.format(Date()))
        try state().putPolicy(stored)   // the repository first (issue 17 §2)
        try CatalogAccess.write(catalog) { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO retention_policy
                        (node, keep_last, keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly, keep_within, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [node ?? "", policy.keepLast, policy.keepHourly, policy.keepDaily, policy.keepWeekly,
                            policy.keepMonthly, policy.keepYearly, policy.keepWithin?.description, stored.updatedAt])
        }
        return stored
    }

    /// Removes the policy of `node` (nil: the default); false when there was none.
    @discardableResult
    public func unset(node: String?) throws -> Bool {
        try state().removePolicy(node: node)
        return try CatalogAccess.write(catalog) { db in
            try db.execute(sql: "DELETE FROM retention_policy WHERE node = ?", arguments: [node ?? ""])
            return db.changesCount > 0
        }
    }

    static func load(_ db: Database) throws -> [StoredPolicy] {
        try Row.fetchAll(db, sql: "SELECT * FROM retention_policy ORDER BY node").map { row in
            let node: String = row["node"]
            let policy = RetentionPolicy(
                keepLast: row["keep_last"], keepHourly: row["keep_hourly"], keepDaily: row["keep_daily"],
                keepWeekly: row["keep_weekly"], keepMonthly: row["keep_monthly"], keepYearly: row["keep_yearly"],
                keepWithin: (row["keep_within"] as String?).flatMap(RetentionDuration.init))
            return StoredPolicy(node: node.isEmpty ? nil : node, policy: policy, updatedAt: row["updated_at"])
        }
    }
}
