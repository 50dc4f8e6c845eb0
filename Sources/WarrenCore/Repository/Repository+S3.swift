import Foundation

/// Repositories in an S3 bucket (issue 11, phase 2): `config`, `keys/`, manifests, state
/// documents and objects are all in the bucket under the URL's prefix, sealed as in a local
/// repository; the catalog is this host's cache of them (``S3CatalogCache``), synchronised on
/// every open. Writers keep this host's apart with a local lock in the cache directory;
/// `prune`, `forget` and `gc` also take the bucket's lock object (``BucketLock``).
extension Repository {
    /// Creates a repository under `location`'s prefix, which must not hold a `config` yet.
    /// Nothing is written before the bucket answered a first request, so wrong credentials
    /// (exit 2) create nothing.
    /// - Throws: ``WarrenError/repositoryExists(path:reason:)`` when the prefix holds a
    ///   `config`; ``WarrenError/invalidArgument(name:reason:)`` for `group` (a bucket's
    ///   readers are its policy's, not a Unix group's); ``WarrenError/s3(_:)``.
    static func initializeS3(
        _ location: S3Location, group: String?, encryption setup: EncryptionSetup, now: Date, connection: S3Connection
    ) throws -> Repository {
        if group != nil {
            throw WarrenError.invalidArgument(
                name: "--group", reason: "\(location) is in a bucket: who may read it is the bucket's policy, not a Unix group's")
        }
        return try S3Failure.wrapping {
            let probe = connection.storage(location)
            // A GET, not a HEAD: a refused signature's answer then has a body that says so.
            if try probe.get(.config) != nil {
                throw WarrenError.repositoryExists(path: location.description, reason: "it already holds a repository (its config exists)")
            }
            // What the server's conditional writes do decides put-if-absent and the lock (recorded in config).
            let writes = try probe.probeWriteConditions()
            let storage = connection.storage(location, conditionalPut: writes.conditionalPut)
            var keyRing: KeyRing?
            if case let .password(password, parameters) = setup {
                keyRing = try KeyRing.create(in: StorageKeyFiles(storage: storage), password: password, parameters: parameters, now: now)
            }
            let config = RepositoryConfig(encryption: setup.encryption, keyFingerprint: keyRing?.master.fingerprint, createdAt: Timestamp.format(now),
                                          s3ConditionalWrites: writes)
            try config.create(in: storage)
            let cache = S3CatalogCache(root: connection.cacheRoot, repositoryID: config.id)
            try cache.prepare()
            let catalog = try cache.withSyncLock { try cache.openOrCreate().catalog }
            return Repository(
                path: cache.directory, location: location.description, catalog: catalog, storage: storage,
                objectStorage: PackedStorage(
                    bucket: connection.storage(location, temporaryDirectory: cache.temporaryDirectory, conditionalPut: writes.conditionalPut),
                    documents: SealedDocumentStorage.wrapping(storage, keyRing: keyRing), indexCacheDirectory: cache.packIndexDirectory),
                access: .ownerOnly, encryption: setup.encryption, keyRing: keyRing,
                bucketLockSite: BucketLockSite(storage: storage, repositoryID: config.id, writes: writes))
        }
    }

    /// Opens the repository under `location`'s prefix: reads its `config`, opens its key
    /// (before anything local is touched, so a wrong password or secret key writes nothing),
    /// then opens this host's cache of its catalog and brings it up to date with the bucket.
    /// - Throws: ``WarrenError/repositoryNotFound(path:reason:)`` when the prefix holds no
    ///   `config`; the errors of ``open(at:password:s3:)``; ``WarrenError/s3(_:)``.
    static func openS3(_ location: S3Location, password: PasswordProvider?, connection: S3Connection) throws -> Repository {
        try S3Failure.wrapping {
            let (config, writes, storage, encryption, keyRing) = try unlockBucket(
                location, connection: connection, password: password, ifMissing: "create one with `warren init --repo \(location)`")
            let cache = S3CatalogCache(root: connection.cacheRoot, repositoryID: config.id)
            try cache.prepare()
            let catalog = try cache.withSyncLock {
                let catalog = try cache.openOrCreate().catalog
                _ = try CatalogRebuilder.synchronise(catalog, from: SealedDocumentStorage.wrapping(storage, keyRing: keyRing))
                return catalog
            }
            return Repository(
                path: cache.directory, location: location.description, catalog: catalog, storage: storage,
                objectStorage: PackedStorage(
                    bucket: connection.storage(location, temporaryDirectory: cache.temporaryDirectory, conditionalPut: writes.conditionalPut),
                    documents: SealedDocumentStorage.wrapping(storage, keyRing: keyRing), indexCacheDirectory: cache.packIndexDirectory),
                access: .ownerOnly, encryption: encryption, keyRing: keyRing,
                bucketLockSite: BucketLockSite(storage: storage, repositoryID: config.id, writes: writes))
        }
    }
}

extension Repository {
    /// The bucket's `config` read and its key opened (nothing local touched): what opening
    /// the repository and rebuilding its cache both start with.
    /// - Parameter ifMissing: what to tell the operator when the prefix holds no `config`.
    static func unlockBucket(
        _ location: S3Location, connection: S3Connection, password: PasswordProvider?, ifMissing: String
    ) throws -> (config: RepositoryConfig, writes: S3ConditionalWrites, storage: S3Storage, encryption: RepositoryEncryption, keyRing: KeyRing?) {
        guard let config = try RepositoryConfig.load(from: connection.storage(location)) else {
            throw WarrenError.repositoryNotFound(path: location.description, reason: "it holds no repository (no config); \(ifMissing)")
        }
        let writes = config.s3ConditionalWrites ?? .assumedForOldConfigs
        let storage = connection.storage(location, conditionalPut: writes.conditionalPut)
        let (encryption, keyRing) = try unlock(storage, config: config, password: password)
        return (config, writes, storage, encryption, keyRing)
    }
}

/// Turns an ``S3Error`` thrown by the client into ``WarrenError/s3(_:)``, the error every
/// caller handles (exit 2 for refused credentials, else 22).
enum S3Failure {
    static func wrapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as S3Error {
            throw WarrenError.s3(error)
        }
    }
}
