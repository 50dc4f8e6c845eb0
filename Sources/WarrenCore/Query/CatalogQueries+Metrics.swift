import Foundation
import GRDB

/// What `GET /v1/metrics` reports from the catalog, read in one snapshot.
public struct CatalogFigures: Sendable {
    public struct Node: Sendable {
        public var node: String
        /// `taken_at` of the node's newest complete backup.
        public var lastBackupAt: String?
        /// The verdict of that backup's latest verify; nil when never verified.
        public var lastVerdict: Verdict?
        public var backups: Int
    }

    public var nodes: [Node]
    /// Sum of the sizes of the stored objects.
    public var repositoryBytes: Int64
    public var objects: Int
}

extension CatalogQueries {
    public func figures() throws -> CatalogFigures {
        do {
            return try catalog.reader.read { db in
                var nodes: [CatalogFigures.Node] = []
                for row in try Row.fetchAll(db, sql: """
                    SELECT b.node, COUNT(*) AS backups,
                           (SELECT taken_at FROM backup x WHERE x.node = b.node AND x.state = 'complete' ORDER BY taken_at DESC, id DESC LIMIT 1) AS last_at,
                           (SELECT last_verdict FROM backup x WHERE x.node = b.node AND x.state = 'complete' ORDER BY taken_at DESC, id DESC LIMIT 1) AS last_verdict
                    FROM backup b GROUP BY b.node ORDER BY b.node
                    """) {
                    nodes.append(.init(node: row["node"], lastBackupAt: row["last_at"], lastVerdict: row["last_verdict"], backups: row["backups"]))
                }
                let objects = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM object")
                return CatalogFigures(nodes: nodes, repositoryBytes: objects?["bytes"] ?? 0, objects: objects?["n"] ?? 0)
            }
        } catch let error as WarrenError {
            throw error
        } catch {
            throw WarrenError.catalog(detail: "\(error)")
        }
    }
}
