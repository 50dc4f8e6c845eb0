import GRDB

/// "Does any backup still reference this object?" (a manifest row or a definitions checksum),
/// answered by index lookups so it stays cheap on catalogs with millions of manifest rows.
struct ReferenceProbe {
    let db: Database

    func isReferenced(_ id: ObjectID) throws -> Bool {
        let data = id.data
        let manifest = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM manifest_file WHERE sha256 = ?)")
        if try Bool.fetchOne(manifest, arguments: [data]) == true { return true }
        let definitions = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM backup WHERE definitions_sha256 = ?)")
        return try Bool.fetchOne(definitions, arguments: [data]) == true
    }

    /// The `object` row's size, nil when there is no row.
    func recordedSize(_ id: ObjectID) throws -> Int64? {
        let statement = try db.cachedStatement(sql: "SELECT size FROM object WHERE sha256 = ?")
        return try Int64.fetchOne(statement, arguments: [id.data])
    }
}
