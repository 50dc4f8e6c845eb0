import Foundation

/// A Warren repository: `catalog.sqlite` plus `objects/` (content-addressed files) and
/// `tmp/` (where objects are written before they are renamed into place), `config` (its
/// identity and encryption) and, when encrypted, `keys/`.
public final class Repository: Sendable {
    public let path: String
    public let catalog: Catalog
    public let objects: ObjectStore
    /// Named documents (manifests, tombstones, state, config) through one
    /// ``RepositoryStorage``: a ``SealedDocumentStorage`` in an encrypted repository.
    public let storage: any RepositoryStorage
    public var manifests: ManifestStore { ManifestStore(storage: storage) }
    /// Whether the repository is encrypted (from its `config`).
    public let encryption: RepositoryEncryption
    /// The master key, opened with a password, for an encrypted repository; nil for a
    /// plaintext one.
    public let keyRing: KeyRing?
    /// The repository's key files (`keys/`).
    public var keys: StorageKeyFiles { StorageKeyFiles(storage: storage) }
    /// Who may read it; every writer gives new files and directories these modes.
    public let access: RepositoryAccess

    /// What `--repo` named: the directory (``path``), or the `s3:` URL of a bucket, whose
    /// ``path`` is then this host's cache of it (``S3CatalogCache``).
    public let location: String

    /// An S3 repository's exclusive lock object and how its server lets it be taken (nil for
    /// a local directory), see ``withExclusiveLock(command:options:_:)``.
    public let bucketLockSite: BucketLockSite?
    /// The bucket lock this repository's deleting command holds now (none outside one).
    let heldBucketLock = HeldBucketLock()

    private convenience init(path: String, catalog: Catalog, storage: any RepositoryStorage, encryption: RepositoryEncryption, keyRing: KeyRing?) {
        let access = RepositoryAccess.of(repositoryPath: path)
        self.init(path: path, location: path, catalog: catalog, storage: storage, objectStorage: LocalDirectoryStorage(root: path, access: access),
                  access: access, encryption: encryption, keyRing: keyRing)
    }

    /// A repository whose objects are in `objectStorage` and documents in `storage` (both
    /// unsealed: sealing is added here from `keyRing`), its catalog and lock under `path`.
    init(path: String, location: String, catalog: Catalog, storage: any RepositoryStorage, objectStorage: any RepositoryStorage,
         access: RepositoryAccess, encryption: RepositoryEncryption, keyRing: KeyRing?, bucketLockSite: BucketLockSite? = nil) {
        self.path = path
        self.location = location
        self.bucketLockSite = bucketLockSite
        self.catalog = catalog
        self.access = access
        objects = ObjectStore(storage: objectStorage, access: access, sealing: keyRing.map { ObjectSealing(master: $0.master) })
        self.storage = SealedDocumentStorage.wrapping(storage, keyRing: keyRing)
        self.encryption = encryption
        self.keyRing = keyRing
    }

    /// Whether the repository is in an S3 bucket (its catalog a local cache).
    public var isS3: Bool { !objects.isLocal }

    /// The password of an encrypted repository, asked for only when one is needed.
    public typealias PasswordProvider = () throws -> Password

    /// Creates a repository. The directory may exist only if it is empty. It is private
    /// (0700 directories, 0600/0400 files) whatever the umask; with `group`, the members of
    /// that group may read it (2750 directories owned by the group, 0640/0440 files).
    /// - Parameter encryption: ``EncryptionSetup/password(_:parameters:)`` creates `keys/`
    ///   with a first key; ``EncryptionSetup/none`` makes a plaintext repository. Either way
    ///   `config` records the choice.
    /// - Throws: ``WarrenError/invalidArgument(name:reason:)`` for an unknown group or one
    ///   this user may not give files to.
    /// - Throws: for an s3: URL or an unknown scheme, see ``RepositoryAddress/localDirectory(_:operation:)``.
    /// - Parameter s3: how to reach an `s3:` URL (credentials, cache); without it an `s3:`
    ///   URL is refused as not yet supported (the commands not wired to S3).
    public static func initialize(
        at rawPath: String, group: String? = nil, encryption setup: EncryptionSetup = .none, now: Date = Date(), s3: S3Connection? = nil
    ) throws -> Repository {
        if let s3, case let .s3(location) = try RepositoryAddress.parse(rawPath) {
            return try initializeS3(location, group: group, encryption: setup, now: now, connection: s3)
        }
        let path = absolute(try RepositoryAddress.localDirectory(rawPath, operation: "init"))
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
        let storage = LocalDirectoryStorage(root: path, access: access)
        var keyRing: KeyRing?
        if case let .password(password, parameters) = setup {
            keyRing = try KeyRing.create(in: StorageKeyFiles(storage: storage), password: password, parameters: parameters, now: now)
        }
        try RepositoryConfig(encryption: setup.encryption, keyFingerprint: keyRing?.master.fingerprint, createdAt: Timestamp.format(now))
            .create(in: storage)
        // The catalog comes last: its marker row is what makes the directory a repository.
        let catalog = try Catalog(creatingAt: path + "/catalog.sqlite", mode: access.fileMode)
        try Posix.fsyncDirectory(path)
        return Repository(path: path, catalog: catalog, storage: storage, encryption: setup.encryption, keyRing: keyRing)
    }

    /// Opens an existing repository, or explains why `path` is not one (an s3: URL or an
    /// unknown scheme included, see ``RepositoryAddress/localDirectory(_:operation:)``).
    /// - Parameter password: asked only when the repository is encrypted. The key is opened
    ///   before the catalog, so a missing or wrong password (``CryptoError/noPasswordSource``,
    ///   ``CryptoError/wrongPassword(keyCount:)``, exit 2) writes nothing.
    /// - Parameter s3: how to reach an `s3:` URL (credentials, cache): its cache is then
    ///   synchronised from the bucket (``openS3(_:password:connection:)``). Without it an
    ///   `s3:` URL is refused as not yet supported (the commands not wired to S3).
    public static func open(at rawPath: String, password: PasswordProvider? = nil, s3: S3Connection? = nil) throws -> Repository {
        if let s3, case let .s3(location) = try RepositoryAddress.parse(rawPath) {
            return try openS3(location, password: password, connection: s3)
        }
        return try open(at: rawPath, unlocking: true, password: password)
    }

    /// The repository with its catalog open but its key not (``keyRing`` nil): for
    /// looking at the catalog alone, such as deciding whether it is healthy. Its objects
    /// cannot be found or read when it is encrypted.
    static func openCatalogOnly(at rawPath: String) throws -> Repository {
        try open(at: rawPath, unlocking: false, password: nil)
    }

    private static func open(at rawPath: String, unlocking: Bool, password: PasswordProvider?) throws -> Repository {
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
        let storage = LocalDirectoryStorage(root: path)
        let (encryption, keyRing) = try unlock(storage, unlocking: unlocking, password: password)
        let catalog = try Catalog(openingExistingAt: path + "/catalog.sqlite", repositoryPath: path)
        return Repository(path: path, catalog: catalog, storage: storage, encryption: encryption, keyRing: keyRing)
    }

    /// The repository's encryption and, when it is encrypted and `unlocking`, its key ring.
    static func unlock(
        _ storage: any RepositoryStorage, unlocking: Bool = true, password: PasswordProvider?
    ) throws -> (RepositoryEncryption, KeyRing?) {
        try unlock(storage, config: try RepositoryConfig.load(from: storage), unlocking: unlocking, password: password)
    }

    /// The same, with the config already read.
    static func unlock(
        _ storage: any RepositoryStorage, config: RepositoryConfig?, unlocking: Bool = true, password: PasswordProvider?
    ) throws -> (RepositoryEncryption, KeyRing?) {
        let encryption = config?.encryption ?? .unencrypted
        guard unlocking, encryption.isEncrypted else { return (encryption, nil) }
        guard let password else { throw WarrenError.crypto(.noPasswordSource) }
        let ring = try KeyRing.open(StorageKeyFiles(storage: storage), password: try password(), expectedFingerprint: config?.keyFingerprint)
        return (encryption, ring)
    }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath + "/" + expanded) as NSString).standardizingPath
    }
}
