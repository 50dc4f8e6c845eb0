/// Where an S3 repository's exclusive lock lives and how its server lets it be taken: the
/// bucket's storage (unsealed: the lock record is plaintext), the repository's id, and the
/// conditional writes recorded in its `config` (``S3ConditionalWrites``).
public struct BucketLockSite: Sendable {
    public let storage: S3Storage
    public let repositoryID: String
    public let writes: S3ConditionalWrites

    public init(storage: S3Storage, repositoryID: String, writes: S3ConditionalWrites) {
        self.storage = storage
        self.repositoryID = repositoryID
        self.writes = writes
    }

    /// `PREFIX/locks/exclusive`, the lock object when the server honours `If-None-Match: *`.
    public var exclusiveKey: String { storage.location.key("locks/exclusive") }

    /// `PREFIX/locks/`.
    public var locksPrefix: String { storage.location.key("locks") + "/" }

    /// What lock errors name: the repository's `s3:` URL.
    public var description: String { storage.location.description }
}
