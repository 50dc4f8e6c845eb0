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
    /// Who may read it; every writer gives new files and directories these modes.
    public let access: RepositoryAccess

    private init(path: String, catalog: Catalog) {
        self.path = path
        self.catalog = catalog
        access = RepositoryAccess.of(repositoryPath: path)
        objects = ObjectStore(repositoryPath: path, access: access)
        storage = LocalDirectoryStorage(root: path, access: access)
    }

    /// Creates a repository. The directory may exist only if it is empty. It is private
    /// (0700 directories, 0600/0400 files) whatever the umask; with `group`, the members of
    /// that group may read it (2750 directories owned by the group, 0640/0440 files).
    /// - Throws: ``WarrenError/invalidArgument(name:reason:)`` for an unknown group or one
    ///   this user may not give files to.
    public static func initialize(at rawPath: String, group: String? = nil) throws -> Repository {
        let path = absolute(rawPath)
        var gid: gid_t?
        if let group {
            guard let entry = getgrnam(group) else {
                throw WarrenError.invalidArgument(name: "--group", reason: "there is no group named '\(group)'; create it (groupadd \(group)) or name an existing one")
            }
            gid = entry.pointee.gr_gid
        }
        let access: RepositoryAccess = gid == nil ? .ownerOnly : .group
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
        // Group first, then mode: the setgid bit makes every entry created below it the group's.
        if let gid, chown(path, uid_t.max, gid) != 0 {
            throw WarrenError.invalidArgument(name: "--group", reason: "cannot give \(path) to group '\(group ?? "")' (\(String(cString: strerror(errno)))); only its members or root can")
        }
        guard chmod(path, access.directoryMode) == 0 else { throw WarrenError.io(path: path, operation: "chmod", errno: errno) }
        let objects = ObjectStore(repositoryPath: path, access: access)
        try objects.createLayout()
        try Posix.mkdirIfMissing(path + "/" + StorageName.manifestsPrefix, mode: access.directoryMode)
        // The catalog comes last: its marker row is what makes the directory a repository.
        let catalog = try Catalog(creatingAt: path + "/catalog.sqlite", mode: access.fileMode)
        try Posix.fsyncDirectory(path)
        return Repository(path: path, catalog: catalog)
    }

    /// Opens an existing repository, or explains why `path` is not one.
    public static func open(at rawPath: String) throws -> Repository {
        let path = absolute(rawPath)
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
