import Foundation
import GRDB

/// The bulk load of a catalog that nobody else sees yet (`warren catalog rebuild`'s temporary
/// file, renamed into place only once it is whole).
///
/// A rebuild of 10,000 backups × 1,000 files writes 10 million `manifest_file` rows. Kept
/// up row by row, their secondary index (by object, ~20,000 distinct keys) is updated at
/// random leaves, and every batch's commit rewrites most of the index into the WAL: that,
/// not the manifests, made the rebuild take 10 minutes. Built once at the end, from sorted
/// keys, it costs seconds. Durability is only needed once, at the end: the file is
/// discarded if the process dies before the rename.
extension Catalog {
    /// Tables whose non-unique secondary indexes are dropped during a bulk load and made
    /// again at its end. Only indexes that no statement of the load reads: the counts of
    /// `def_binding` by backup, say, need theirs while rows go in.
    static let bulkLoadedTables = ["manifest_file"]

    /// Runs `body` with the writer connection tuned for a bulk load, then makes the dropped
    /// indexes again and restores full durability. Use only on a catalog no other process
    /// can open: a crash in between leaves a catalog without some indexes.
    func bulkLoad<T>(_ body: () throws -> T) throws -> T {
        let tables = Self.bulkLoadedTables.map { "'\($0)'" }.joined(separator: ",")
        let dropped: [(name: String, sql: String)] = try CatalogAccess.write(self) { db in
            // A UNIQUE index decides INSERT OR IGNORE: those stay.
            let rows = try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master
                WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (\(tables))
                """)
            let indexes = rows.map { (name: $0["name"] as String, sql: $0["sql"] as String) }
            for index in indexes { try db.execute(sql: "DROP INDEX \(index.name.quotedDatabaseIdentifier)") }
            return indexes
        }
        try pragmas(synchronous: "OFF", cacheKiB: 256 * 1024)
        let result = try body()
        try CatalogAccess.write(self) { db in
            for index in dropped { try db.execute(sql: index.sql) }
        }
        try pragmas(synchronous: "FULL", cacheKiB: 2000)  // SQLite's default
        return result
    }

    /// PRAGMAs are per connection and cannot run inside a transaction.
    private func pragmas(synchronous: String, cacheKiB: Int) throws {
        try writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
        }
    }
}
