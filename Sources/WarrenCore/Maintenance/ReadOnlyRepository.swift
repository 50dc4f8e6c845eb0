import Foundation
import GRDB

/// A repository opened for reading only, through a read-only SQLite connection.
///
/// Opening a ``Repository`` opens a writable connection pool, and GRDB starts a WAL-mode
/// pool with a tiny schema write when the `-wal` file is absent; that write reaches
/// `catalog.sqlite` (its header) when the last connection closes. The dry runs of `prune`,
/// `gc` and `check` use this type instead, so that they leave `catalog.sqlite` byte for byte
/// as it was (SQLite may leave an empty `-wal` and a `-shm` beside it).
public final class ReadOnlyRepository: RepositoryReadable, @unchecked Sendable {
    public let path: String
    public let objects: ObjectStore
    public let storage: any RepositoryStorage
    private let queue: DatabaseQueue

    public var catalogReader: any DatabaseReader { queue }

    private init(path: String, queue: DatabaseQueue, keyRing: KeyRing?) {
        self.path = path
        self.queue = queue
        objects = ObjectStore(repositoryPath: path, sealing: keyRing.map { ObjectSealing(master: $0.master) })
        storage = SealedDocumentStorage.wrapping(LocalDirectoryStorage(root: path), keyRing: keyRing)
    }

    /// The repository for a dry run: read-only when its schema is current, else opened (and
    /// migrated) like any other command would.
    /// - Parameter password: asked only when the repository is encrypted (its objects'
    ///   names are keyed).
    public static func openForDryRun(at path: String, password: Repository.PasswordProvider? = nil) throws -> any RepositoryReadable {
        if let readOnly = try openIfCurrent(at: path, password: password) { return readOnly }
        return try Repository.open(at: path, password: password)
    }

    /// Opens the repository read-only. Returns nil when its catalog still needs migrations
    /// that only a writable open (``Repository/open(at:)``) applies.
    /// - Throws: the same errors as ``Repository/open(at:)`` for a missing, foreign or newer repository.
    public static func openIfCurrent(at rawPath: String, password: Repository.PasswordProvider? = nil) throws -> ReadOnlyRepository? {
        let path = Repository.absolute(try RepositoryAddress.localDirectory(rawPath, operation: "open"))
        guard let st = try Posix.lstatIfExists(path) else {
            throw WarrenError.repositoryNotFound(path: path, reason: "the directory does not exist")
        }
        guard st.isDirectory else { throw WarrenError.repositoryNotFound(path: path, reason: "it is a \(st.typeName)") }
        guard let catalogStat = try Posix.lstatIfExists(path + "/catalog.sqlite"), catalogStat.isRegular else {
            throw WarrenError.repositoryNotFound(path: path, reason: "it has no catalog.sqlite")
        }
        guard let objectsStat = try Posix.lstatIfExists(path + "/objects"), objectsStat.isDirectory else {
            throw WarrenError.repositoryNotFound(path: path, reason: "it has no objects/ directory")
        }
        let (_, keyRing) = try Repository.unlock(LocalDirectoryStorage(root: path), password: password)
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(30)
        let queue: DatabaseQueue
        let format: String?
        let applied: [String]
        do {
            queue = try DatabaseQueue(path: path + "/catalog.sqlite", configuration: config)
            (format, applied) = try queue.read { db in
                guard try db.tableExists("repository") else { return (nil, []) }
                let format = try String.fetchOne(db, sql: "SELECT format FROM repository WHERE id = 1")
                let applied = try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") : []
                return (format, applied)
            }
        } catch {
            throw CatalogOpenFailure.describe(error, catalogPath: path + "/catalog.sqlite", repositoryPath: path)
        }
        guard format == Catalog.format else {
            throw WarrenError.repositoryNotFound(path: path, reason: "catalog.sqlite is not a Warren catalog")
        }
        let known = Set(EmbeddedMigrations.all.map(\.name))
        if !Set(applied).isSubset(of: known) {
            throw WarrenError.catalogTooNew(path: path, detail: "it has migrations this binary does not know")
        }
        guard Set(applied) == known else { return nil }
        return ReadOnlyRepository(path: path, queue: queue, keyRing: keyRing)
    }
}
