import Foundation

/// `warren catalog rebuild` on an `s3:` repository: this host's cache of the catalog
/// (``S3CatalogCache``) rebuilt from the bucket alone, the way restic rebuilds its cache.
/// Every open already brings the cache up to date incrementally; a rebuild reads every
/// manifest again, for a cache an operator no longer trusts.
extension CatalogRebuilder {
    /// Rebuilds the cache of the repository at `location`: its `config` is read and its key
    /// opened first (a wrong password or secret key writes nothing), then, under this
    /// host's repository lock and the cache's `sync.lock`, a new catalog is built in the
    /// cache's `tmp/` and renamed over `catalog.sqlite` (or written to `output`). A healthy
    /// cache is only replaced with `force`, as a local catalog is.
    /// - Throws: ``WarrenError/repositoryNotFound(path:reason:)`` when the prefix holds no
    ///   `config`; ``WarrenError/rebuildRefused(path:reason:)``; ``WarrenError/s3(_:)``.
    public static func rebuildCache(
        of location: S3Location, connection: S3Connection, output: String? = nil, force: Bool = false,
        lockOptions: RepositoryLock.Options = RepositoryLock.Options(),
        password: Repository.PasswordProvider? = nil, progress: ProgressHandler? = nil
    ) throws -> Report {
        try S3Failure.wrapping {
            let (config, _, bucket, _, keyRing) = try Repository.unlockBucket(
                location, connection: connection, password: password, ifMissing: "there is nothing to rebuild from")
            let cache = S3CatalogCache(root: connection.cacheRoot, repositoryID: config.id)
            let live = cache.catalogPath
            let target = output.map(Repository.absolute) ?? live
            if !force, try Posix.lstatIfExists(target) != nil {
                if target != live { throw WarrenError.rebuildRefused(path: target, reason: "exists") }
                if let catalog = try? Catalog(openingExistingAt: live, repositoryPath: cache.directory), let health = healthy(catalog) {
                    try? catalog.closeConnections()
                    throw WarrenError.rebuildRefused(path: target, reason: "is a healthy cache of \(location) (\(health))")
                }
            }
            try cache.prepare()
            let lock = try RepositoryLock.acquire(repositoryPath: cache.directory, command: "catalog rebuild", options: lockOptions)
            defer { lock.release() }
            return try cache.withSyncLock {
                try build(from: SealedDocumentStorage.wrapping(bucket, keyRing: keyRing), temporaryDirectory: cache.temporaryDirectory,
                          target: target, live: live, repositoryPath: cache.directory, access: .ownerOnly, progress: progress)
            }
        }
    }
}
