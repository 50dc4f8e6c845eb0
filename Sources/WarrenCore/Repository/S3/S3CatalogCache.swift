import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The local catalog of an S3 repository: `CACHE/<repository id>/catalog.sqlite`
/// (``S3Connection/cacheRoot``; directories 0700, files 0600), a cache of the bucket, which
/// is the truth, as restic's and kopia's caches are. The directory also holds the
/// repository lock of this host's writers (`lock`, see ``RepositoryLock``), `tmp/`, where
/// large objects are written (sealed) before they go up, and `pack-indexes/`, copies of the
/// bucket's pack indexes (``PackIndexCache``).
///
/// A missing cache is created, and one that does not open (damaged, not a catalog, from a
/// newer release) is moved aside as `catalog.sqlite.unusable` and created anew; either way
/// ``Repository`` then fills it from the bucket (``CatalogRebuilder/synchronise(_:from:)``).
/// Opening, creating and synchronising run under `sync.lock` (`flock`, waited for), so two
/// commands starting at once on one host do not both import.
struct S3CatalogCache {
    /// `CACHE/<repository id>`.
    let directory: String

    init(root: String, repositoryID: String) {
        directory = root + "/" + repositoryID
    }

    /// The cache in `directory` (a repository's ``Repository/path``).
    init(directory: String) {
        self.directory = directory
    }

    var catalogPath: String { directory + "/catalog.sqlite" }
    var temporaryDirectory: String { directory + "/tmp" }
    /// Copies of the bucket's pack indexes (``PackIndexCache``).
    var packIndexDirectory: String { directory + "/pack-indexes" }

    /// Creates the directory (and the cache root) 0700 when missing.
    func prepare() throws {
        try RepositoryAccess.ownerOnly.makeDirectories(directory)
        try Posix.mkdirIfMissing(temporaryDirectory, mode: RepositoryAccess.ownerOnly.directoryMode)
    }

    /// Runs `body` holding `sync.lock`, waiting for another process of this host that holds it.
    func withSyncLock<T>(_ body: () throws -> T) throws -> T {
        let path = directory + "/sync.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, RepositoryAccess.ownerOnly.fileMode)
        guard fd >= 0 else { throw WarrenError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw WarrenError.io(path: path, operation: "flock", errno: errno) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// The cache's catalog: opened, or created (after moving an unusable one aside).
    /// `fresh` is true when it was created, so that everything is imported.
    func openOrCreate() throws -> (catalog: Catalog, fresh: Bool) {
        if try Posix.lstatIfExists(catalogPath) != nil {
            if let catalog = try? Catalog(openingExistingAt: catalogPath, repositoryPath: directory) {
                return (catalog, false)
            }
            let aside = catalogPath + ".unusable"
            for suffix in ["", "-wal", "-shm"] {
                unlink(aside + suffix)
                if try Posix.lstatIfExists(catalogPath + suffix) != nil { try Posix.renameOrThrow(catalogPath + suffix, aside + suffix) }
            }
        }
        for suffix in ["-wal", "-shm"] { unlink(catalogPath + suffix) }
        return (try Catalog(creatingAt: catalogPath, mode: RepositoryAccess.ownerOnly.fileMode), true)
    }
}
