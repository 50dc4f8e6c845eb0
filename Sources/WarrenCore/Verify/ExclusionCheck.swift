import GRDB

/// Refuses `--exclude-queue` globs and `--exclude-vhost` names that match nothing in a
/// backup (unless `--allow-unmatched-exclusions`): a typo would otherwise restore exactly
/// the data the operator meant to leave out. Verify and restore both go through here.
public enum ExclusionCheck {
    /// Checks `exclusions` against backup `id`'s queues and vhosts (defined or stored).
    /// - Returns: an `exclusion_unmatched` info finding per unmatched exclusion when they
    ///   are allowed, else nothing.
    /// - Throws: ``WarrenError/invalidArgument(name:reason:)`` naming the unmatched ones.
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
                Finding(.exclusionUnmatched, "--exclude-queue '\($0)' matches no queue of backup \(id); it leaves nothing out")
            } + unmatched.vhosts.map {
                Finding(.exclusionUnmatched, vhost: $0, "--exclude-vhost '\($0)' matches no vhost of backup \(id); it leaves nothing out")
            }
        }
        var parts: [String] = []
        if !unmatched.queueGlobs.isEmpty {
            parts.append("--exclude-queue \(unmatched.queueGlobs.map { "'\($0)'" }.joined(separator: ", ")) matches no queue of backup \(id) (its queues: \(sample(queueNames)))")
        }
        if !unmatched.vhosts.isEmpty {
            parts.append("--exclude-vhost \(unmatched.vhosts.map { "'\($0)'" }.joined(separator: ", ")) matches no vhost of backup \(id) (its vhosts: \(sample(vhostNames)))")
        }
        throw WarrenError.invalidArgument(
            name: unmatched.queueGlobs.isEmpty ? "exclude_vhosts" : "exclude_queues",
            reason: parts.joined(separator: "; ") + ". A misspelt exclusion would restore exactly what it was meant to keep out: check the spelling (globs match the queue name only, in any vhost), or pass --allow-unmatched-exclusions to go on without it")
    }

    private static func sample(_ names: Set<String>) -> String {
        guard !names.isEmpty else { return "none" }
        let sorted = names.sorted()
        let shown = sorted.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
        return sorted.count > 10 ? shown + " and \(sorted.count - 10) more" : shown
    }
}
