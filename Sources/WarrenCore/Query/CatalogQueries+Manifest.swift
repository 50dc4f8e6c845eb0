import Foundation
import GRDB

extension CatalogQueries {
    /// `warren ls ID`: the backup's file manifest, by path; only files of `vhost` and/or of
    /// queue `queue` when given. An unknown id is ``WarrenError/backupNotFound(id:)``.
    public func manifest(id: Int64, vhost: String? = nil, queue: String? = nil) throws -> [ManifestEntry] {
        try CatalogAccess.read(catalog) { db in
            _ = try Self.summary(db, id: id)
            var sql = """
                SELECT m.path, m.size, m.sha256, m.kind, COALESCE(q.vhost, v.vhost) AS vhost, q.name AS queue
                FROM manifest_file m
                LEFT JOIN store_vhost v ON v.id = m.store_vhost_id
                LEFT JOIN store_queue q ON q.id = m.store_queue_id
                WHERE m.backup_id = ?
                """
            var arguments: StatementArguments = [id]
            if let vhost {
                sql += " AND COALESCE(q.vhost, v.vhost) = ?"
                arguments += [vhost]
            }
            if let queue {
                sql += " AND q.name = ?"
                arguments += [queue]
            }
            sql += " ORDER BY m.path"
            return try ManifestEntry.fetchAll(db, sql: sql, arguments: arguments)
        }
    }
}
