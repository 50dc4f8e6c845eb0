import GRDB

/// What `warren version` reports: this binary's version, the repository formats it reads, and
/// the SQLite library the catalog runs on.
public struct VersionInfo: Encodable, Sendable {
    /// Warren's release version.
    public static let release = "0.1.0"

    public var version: String
    /// The repository marker (`repository.format` in the catalog) this binary opens.
    public var repositoryFormat: String
    /// The catalog schema this binary reads and writes: its newest migration, and every migration it knows.
    public var catalogSchema: String
    public var catalogMigrations: [String]
    /// `sqlite_version()` of the linked SQLite library.
    public var sqliteVersion: String

    /// This binary's version information (opens an in-memory SQLite database to ask its version).
    public static func current() throws -> VersionInfo {
        let migrations = EmbeddedMigrations.all.map(\.name).sorted()
        let sqlite: String
        do {
            sqlite = try DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") } ?? "unknown"
        } catch {
            throw WarrenError.catalog(detail: "cannot ask SQLite its version: \(error)")
        }
        return VersionInfo(
            version: release, repositoryFormat: Catalog.format, catalogSchema: migrations.last ?? "none",
            catalogMigrations: migrations, sqliteVersion: sqlite)
    }
}
