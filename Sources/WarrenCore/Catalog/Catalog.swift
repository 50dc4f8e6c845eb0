import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#endif

/// The SQLite catalog (`catalog.sqlite`, WAL). Owns the process's single `DatabasePool` and
/// brings the schema up to date from the migrations embedded in the binary.
///
/// Shaped like GRDB's demo `AppDatabase`: the pool is private, readers get ``reader``, and
/// every write to the `backup` table is a method that keeps its invariants (see
/// `Catalog+Backups.swift`; the SQL itself is in ``BackupRows``).
public final class Catalog: Sendable {
    public static let format = "warren-repository"

    /// Readers use snapshots and are never blocked by a writer (WAL).
    private let pool: DatabasePool
    public let path: String
    /// True when this process may only read the catalog (a member of a group-readable
    /// repository's group, issue 17 §5): nothing is recorded, not even a verdict.
    public let isReadOnly: Bool

    /// Opens an existing catalog after checking, read-only, that it is Warren's. A catalog
    /// this user cannot write (a group member's) is opened read-only.
    init(openingExistingAt path: String, repositoryPath: String) throws {
        let readOnly = access(path, W_OK) != 0 && errno == EACCES
        if readOnly, access(path + "-shm", R_OK) != 0 || access(path + "-wal", R_OK) != 0 {
            throw WarrenError.catalog(detail: "\(path) can only be read by this user, and that needs its -wal and -shm files, which are missing; run any warren command (e.g. `warren list --repo \(repositoryPath)`) once as the repository's owner")
        }
        try Self.checkMarker(path: path, repositoryPath: repositoryPath)
        self.path = path
        isReadOnly = readOnly
        pool = try Self.makePool(path: path, readOnly: isReadOnly)
        try migrate(repositoryPath: repositoryPath)
    }

    /// Creates a new catalog with the repository marker row. The file is created with `mode`
    /// before SQLite opens it: SQLite gives its `-wal` and `-shm` the database file's mode.
    init(creatingAt path: String, mode: mode_t) throws {
        self.path = path
        isReadOnly = false
        let fd = try Posix.createExclusive(path, mode: mode)
        close(fd)
        pool = try Self.makePool(path: path, readOnly: false)
        try migrate(repositoryPath: path)
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO repository (id, format, uuid, created_at) VALUES (1, ?, ?, ?)",
                arguments: [Self.format, UUID().uuidString.lowercased(), Timestamp.format(Date())])
        }
    }

    private static func makePool(path: String, readOnly: Bool) throws -> DatabasePool {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.readonly = readOnly
        config.prepareDatabase { db in
            // The -wal and -shm files stay (the WAL emptied) when the last connection closes,
            // so that a group member, who cannot create files in the repository, can still
            // open the catalog read-only (SQLite >= 3.22 reads a WAL database whose -shm it
            // cannot write).
            var persist: Int32 = 1
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
            if !readOnly {
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA journal_size_limit = 0")
            }
        }
        do {
            return try DatabasePool(path: path, configuration: config)
        } catch {
            throw CatalogOpenFailure.describe(error, catalogPath: path, repositoryPath: (path as NSString).deletingLastPathComponent)
        }
    }

    /// The marker check opens the file read-only, so a foreign SQLite file is never
    /// converted to WAL or migrated.
    private static func checkMarker(path: String, repositoryPath: String) throws {
        var config = Configuration()
        config.readonly = true
        // Another warren process may be opening or closing the catalog right now.
        config.busyMode = .timeout(30)
        let format: String?
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            format = try queue.read { db in
                guard try db.tableExists("repository") else { return nil }
                return try String.fetchOne(db, sql: "SELECT format FROM repository WHERE id = 1")
            }
        } catch {
            throw CatalogOpenFailure.describe(error, catalogPath: path, repositoryPath: repositoryPath)
        }
        guard format == Self.format else {
            // An emptied catalog (truncated to 0 bytes) beside a repository's manifests is
            // damage, not a foreign file.
            if try Posix.lstatIfExists(repositoryPath + "/" + StorageName.manifestsPrefix)?.isDirectory == true {
                throw WarrenError.catalog(detail: "\(path) is damaged: it holds no Warren catalog (emptied or overwritten); \(CatalogOpenFailure.rebuildAdvice(repositoryPath))")
            }
            throw WarrenError.repositoryNotFound(path: repositoryPath, reason: "catalog.sqlite is not a Warren catalog")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in EmbeddedMigrations.all {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }

    private func migrate(repositoryPath: String) throws {
        let migrator = Self.migrator
        do {
            let (superseded, current) = try pool.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if superseded {
                throw WarrenError.catalogTooNew(path: repositoryPath, detail: "it has migrations this binary does not know")
            }
            // An up-to-date catalog is only read: migrate() is a barrier write, which would
            // make every reader wait behind a long write transaction (a prune).
            if !current {
                if isReadOnly {
                    throw WarrenError.catalog(detail: "\(path) needs migrations that this user cannot apply (it may only read the catalog); run any warren command (e.g. `warren list`) as the repository's owner first")
                }
                try migrator.migrate(pool)
            }
        } catch let error as WarrenError {
            throw error
        } catch {
            throw WarrenError.catalog(detail: "migrating \(path): \(error)")
        }
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try Self.migrator.appliedIdentifiers($0) }.sorted()
    }

    /// Read-only access: snapshots, never blocked by a writer (WAL).
    public var reader: any DatabaseReader { pool }

    /// One write transaction, all of `body` or nothing, for the tables whose writes are not
    /// the backup table's (verifications, policies, schedules, objects…). Writes to `backup`
    /// go through the methods of `Catalog+Backups.swift`. Callers use ``CatalogAccess/write(_:_:)``,
    /// which types the errors.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.write(body)
    }

    /// One statement sequence outside a transaction (PRAGMAs that a transaction refuses).
    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction(body)
        } catch let error as WarrenError {
            throw error
        } catch {
            throw WarrenError.catalog(detail: "\(path): \(error)")
        }
    }

    /// Copies the WAL into `catalog.sqlite` (`.full`: while readers go on; `.truncate`: and
    /// empties the WAL, for a catalog about to be renamed into place).
    func checkpoint(_ mode: Database.CheckpointMode) throws {
        try pool.writeWithoutTransaction { _ = try $0.checkpoint(mode) }
    }

    /// Closes every connection; the catalog cannot be used afterwards.
    func closeConnections() throws {
        try pool.close()
    }
}
