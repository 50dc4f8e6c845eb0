import GRDB

/// Refuses queue-exclusion globs and vhost exclusions that match nothing in a backup
/// (unless unmatched exclusions are allowed): a typo would otherwise restore exactly
/// the data the operator meant to leave out. Verify and restore both go through here.
public enum ExclusionCheck {
    /// Checks `exclusions` against backup `id`'s queues and vhosts (defined or stored).
    /// - Returns: an `exclusion_unmatched` info finding per unmatched exclusion when they
    ///   are allowed, else nothing.
    /// - Throws: ``WarrenError/unmatchedExclusions(_:)`` naming the unmatched ones.
    public static func check(_ exclusions: Exclusions, backup id: Int64, catalog: Catalog) throws -> [Finding] {
        guard !exclusions.isEmpty else { return [] }
        let (queues, vhosts) = try CatalogAccess.read(catalog) { db in
            _ = try CatalogQueries.summary(db, id: id)
            return (Set(try String.fetchAll(db, sql: """
                        SELECT name FROM def_queue WHERE backup_id = ?
                        UNION SELECT name FROM store_queue WHERE backup_id = ? AND name IS NOT NULL
                        """, arguments: [id, id])),
                    Set(try String.fetchAll(db, sql: """
                        SELECT name FROM def_vhost WHERE backup_id = ?
                        UNION SELECT vhost FROM store_vhost WHERE backup_id = ? AND vhost IS NOT NULL
                        """, arguments: [id, id])))
        }
        return try check(exclusions, backup: id, queueNames: queues, vhostNames: vhosts)
    }

    static func check(_ exclusions: Exclusions, backup id: Int64, queueNames: Set<String>, vhostNames: Set<String>) throws -> [Finding] {
        let unmatched = exclusions.unmatched(queueNames: queueNames, vhostNames: vhostNames)
        if unmatched.queueGlobs.isEmpty && unmatched.vhosts.isEmpty { return [] }
        if exclusions.allowUnmatched {
            return unmatched.queueGlobs.map {
                Finding(.exclusionUnmatched, "queue exclusion '\($0)' matches no queue of backup \(id); it leaves nothing out")
            } + unmatched.vhosts.map {
                Finding(.exclusionUnmatched, vhost: $0, "vhost exclusion '\($0)' matches no vhost of backup \(id); it leaves nothing out")
            }
        }
        throw WarrenError.unmatchedExclusions(UnmatchedExclusions(
            backup: id, queueGlobs: unmatched.queueGlobs, vhosts: unmatched.vhosts, queueNames: queueNames, vhostNames: vhostNames))
    }
}
