import Foundation

/// A Warren repository: `catalog.sqlite` plus `objects/` (content-addressed files) and
/// `tmp/` (where objects are written before they are renamed into place).
public final class Repository: Sendable {
    public let path: String
    public let catalog: Catalog
    public let objects: ObjectStore
    /// Named documents (manifests, tombstones, config) through one ``RepositoryStorage``.
    public let storage: any RepositoryStorage
    public var manifests: ManifestStore { ManifestStore(storage: storage) }

    private init(path: String, catalog: Catalog) {
        self.path = path
        self.catalog = catalog
        objects = ObjectStore(repositoryPath: path)
        storage = LocalDirectoryStorage(root: path)
    }

    /// Creates a repository. The directory may exist only if it is empty.
    /// - Throws: for an s3: URL or an unknown scheme, see ``RepositoryAddress/localDirectory(_:operation:)``.
    public static func initialize(at rawPath: String) throws -> Repository {
        let path = absolute(try RepositoryAddress.localDirectory(rawPath, operation: "init"))
        if let st = try Posix.lstatIfExists(path) {
            guard st.isDirectory else { throw WarrenError.repositoryExists(path: path, reason: "it is a \(st.typeName)") }
            let entries = try Posix.listDirectory(path)
            if entries.contains("catalog.sqlite") {
                throw WarrenError.repositoryExists(path: path, reason: "it already holds a repository (catalog.sqlite exists)")
            }
            guard entries.isEmpty else {
                throw WarrenError.repositoryExists(path: path, reason: "the directory is not empty; choose an empty or new directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw WarrenError.repositoryExists(path: path, reason: "cannot create the directory (\(error.localizedDescription))")
            }
        }
        let objects = ObjectStore(repositoryPath: path)
        try objects.createLayout()
        try Posix.mkdirIfMissing(path + "/" + StorageName.manifestsPrefix, mode: 0o700)
        // The catalog comes last: its marker row is what makes the directory a repository.
        let catalog = try Catalog(creatingAt: path + "/catalog.sqlite")
        try Posix.fsyncDirectory(path)
        return Repository(path: path, catalog: catalog)
    }

    /// Opens an existing repository, or explains why `path` is not one (an s3: URL or an
    /// unknown scheme included, see ``RepositoryAddress/localDirectory(_:operation:)``).
    public static func open(at rawPath: String) throws -> Repository {
        let path = absolute(try RepositoryAddress.localDirectory(rawPath, operation: "open"))
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
        let catalog = try Catalog(openingExistingAt: path + "/catalog.sqlite", repositoryPath: path)
        return Repository(path: path, catalog: catalog)
    }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath + "/" + expanded) as NSString).standardizingPath
    }
}
