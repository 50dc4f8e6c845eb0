import Foundation

/// The repository's `config` document: its identity, format version and whether (and how)
/// it is encrypted. It is written once by `warren init` and never changed.
///
/// It stays plaintext even in an encrypted repository: it is what says that a password is
/// needed, and it holds nothing secret (the key fingerprint is a public check value that
/// every key file carries too, see ``MasterKey/fingerprint``).
public struct RepositoryConfig: Sendable, Codable, Equatable {
    /// A random id, distinct for every repository.
    public var id: String
    public var encryption: RepositoryEncryption
    /// The master key's fingerprint (encrypted repositories): a key file of another
    /// repository is refused even when the password opens it.
    public var keyFingerprint: String?
    /// When `warren init` ran (RFC 3339, UTC).
    public var createdAt: String
    /// An S3 repository: the conditional writes its server honoured when `warren init`
    /// probed it (`s3_conditional_writes`). Absent in local repositories and in S3 configs
    /// written before the probe existed (read as ``S3ConditionalWrites/assumedForOldConfigs``).
    public var s3ConditionalWrites: S3ConditionalWrites?

    public init(id: String = UUID().uuidString.lowercased(), encryption: RepositoryEncryption, keyFingerprint: String?, createdAt: String,
                s3ConditionalWrites: S3ConditionalWrites? = nil) {
        self.id = id
        self.encryption = encryption
        self.keyFingerprint = keyFingerprint
        self.createdAt = createdAt
        self.s3ConditionalWrites = s3ConditionalWrites
    }

    static let kind = "warren-config"
    static let currentVersion = 1

    /// Writes the config of a new repository; refused when one exists.
    func create(in storage: any RepositoryStorage) throws {
        let bytes = try ChecksummedDocument.encode(self, kind: Self.kind, version: Self.currentVersion)
        guard try storage.put(.config, bytes, ifAbsent: true) == .written else {
            throw WarrenError.repositoryExists(path: storage.describe(.config), reason: "it already has a config")
        }
    }

    /// The repository's config; nil for a repository made before configs existed (always
    /// plaintext), unless `keys/` holds key files: then the config was lost and the
    /// repository is refused rather than taken for a plaintext one.
    public static func load(from storage: any RepositoryStorage) throws -> RepositoryConfig? {
        guard let bytes = try storage.get(.config) else {
            let keys = try StorageKeyFiles(storage: storage).names()
            guard keys.isEmpty else {
                throw WarrenError.crypto(.configMissing(location: storage.describe(.config), keyCount: keys.count))
            }
            return nil
        }
        do {
            return try ChecksummedDocument.decode(RepositoryConfig.self, from: bytes, kind: kind, knownVersion: currentVersion)
        } catch let damage as ChecksummedDocument.Damage {
            throw WarrenError.crypto(.configDamaged(location: storage.describe(.config), reason: damage.description))
        }
    }

    /// The encryption of the repository in `storage` (``RepositoryEncryption/unencrypted``
    /// when it has no config).
    public static func encryption(of storage: any RepositoryStorage) throws -> RepositoryEncryption {
        try load(from: storage)?.encryption ?? .unencrypted
    }
}
