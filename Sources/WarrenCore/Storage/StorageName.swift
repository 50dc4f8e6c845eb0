import Crypto
import Foundation

/// The name of one object or document in a repository: the only place that knows how
/// Warren lays out its repository. Every backend (the local directory today, S3 later) and
/// every codec (an encrypting one later) sees these names only, never paths built by hand.
///
/// Layout (relative to the repository root):
///
/// | name | what |
/// |---|---|
/// | `config` | the repository's identity and format version (``RepositoryConfig``) |
/// | `objects/ab/abcd…` | content-addressed file contents and definitions (SHA-256 of the content) |
/// | `manifests/00000000000000000042` | the manifest of backup 42 (``BackupManifest``), immutable |
/// | `tombstones/00000000000000000042` | backup 42 is being or was deleted; its manifest no longer counts |
/// | `state/pins/00000000000000000042` | backup 42 is pinned (note, time) |
/// | `state/verdicts/00000000000000000042` | backup 42's last plain verify verdict |
/// | `state/policies/default`, `state/policies/<hex of node>` | stored retention policies |
/// | `keys/<64 hex digits>` | an encrypted repository's key files (``KeyFile``), named by their SHA-256 |
/// | `packs/<64 hex digits>` | a bucket only: small objects (under 256 KiB as stored) concatenated, named by the SHA-256 of the pack (``PackedStorage``) |
/// | `pack-indexes/<64 hex digits>` | a bucket only: the index of the pack of that name, which objects it holds at which offsets (``PackIndex``); sealed in an encrypted repository |
public struct StorageName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Relative, `/`-separated.
    public let path: String

    private init(_ path: String) { self.path = path }

    public static let config = StorageName("config")
    public static let manifestsPrefix = "manifests"
    public static let tombstonesPrefix = "tombstones"
    public static let pinsPrefix = "state/pins"
    public static let verdictsPrefix = "state/verdicts"
    public static let policiesPrefix = "state/policies"
    public static let keysPrefix = "keys"
    public static let objectsPrefix = "objects"
    /// A bucket's pack objects (``PackedStorage``).
    public static let packsPrefix = "packs"
    /// A bucket's pack index documents, one per pack (``PackIndex``).
    public static let packIndexesPrefix = "pack-indexes"
    /// The object directory itself, for messages.
    public static let objectsDirectory = StorageName(objectsPrefix)
    /// The key directory itself, for messages.
    public static let keysDirectory = StorageName(keysPrefix)

    /// `keys/<id>`: one key file.
    public static func key(_ id: String) -> StorageName { StorageName(keysPrefix + "/" + id) }

    public static func object(_ id: ObjectID) -> StorageName {
        let hex = id.hex
        return StorageName(objectsPrefix + "/\(hex.prefix(2))/\(hex)")
    }

    /// `packs/<hex>`: the pack whose content's SHA-256 is `hex`.
    public static func pack(_ hex: String) -> StorageName { StorageName(packsPrefix + "/" + hex) }

    /// `pack-indexes/<hex>`: the index of the pack `packs/<hex>`.
    public static func packIndex(_ hex: String) -> StorageName { StorageName(packIndexesPrefix + "/" + hex) }

    /// The pack id of a `packs/…` or `pack-indexes/…` name (64 hex digits); nil otherwise.
    public var packID: String? {
        for prefix in [Self.packsPrefix, Self.packIndexesPrefix] where path.hasPrefix(prefix + "/") {
            let id = path.dropFirst(prefix.count + 1)
            guard id.utf8.count == 64, id.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
            return String(id)
        }
        return nil
    }

    /// The stored object id of an `objects/ab/<64 hex>` name; nil for any other name.
    public var objectHex: String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.objectsPrefix[...], parts[2].utf8.count == 64, parts[2].hasPrefix(parts[1]), parts[1].utf8.count == 2
        else { return nil }
        return String(parts[2])
    }

    /// `objects/ab/<hex>` for a stored id's 64 hex digits.
    static func object(hex: String) -> StorageName { StorageName(objectsPrefix + "/\(hex.prefix(2))/\(hex)") }

    public static func manifest(backupID: Int64) -> StorageName {
        StorageName(manifestsPrefix + "/" + padded(backupID))
    }

    public static func tombstone(backupID: Int64) -> StorageName {
        StorageName(tombstonesPrefix + "/" + padded(backupID))
    }

    public static func pin(backupID: Int64) -> StorageName { StorageName(pinsPrefix + "/" + padded(backupID)) }

    public static func verdict(backupID: Int64) -> StorageName { StorageName(verdictsPrefix + "/" + padded(backupID)) }

    /// `state/policies/default`, or the node name in hex (node names may hold any character).
    /// A name over 100 bytes is named by its SHA-256 (`node-sha256-…`) instead: its hex would
    /// pass the file system's 255-byte name limit (found by schemathesis: a 255-character
    /// node's `PUT /v1/policy` was a 500). The document itself holds the node's name.
    public static func policy(node: String?) -> StorageName {
        guard let node else { return StorageName(policiesPrefix + "/default") }
        let bytes = Array(node.utf8)
        let key = bytes.count <= 100 ? ContentDigest.hex(bytes) : "sha256-" + ContentDigest.hex(Array(SHA256.hash(data: bytes)))
        return StorageName(policiesPrefix + "/node-" + key)
    }

    /// The backup id of a per-backup name (`manifests/`, `tombstones/`, `state/pins/`,
    /// `state/verdicts/`); nil for any other name (a stray file an operator left there is
    /// never taken for one of Warren's).
    public var backupID: Int64? {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let prefix = String(path[..<slash]), last = path[path.index(after: slash)...]
        guard [Self.manifestsPrefix, Self.tombstonesPrefix, Self.pinsPrefix, Self.verdictsPrefix].contains(prefix),
              last.utf8.count == 20, last.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(last)
    }

    /// Parses a name listed by a backend under `prefix`.
    static func listed(prefix: String, entry: String) -> StorageName {
        StorageName(prefix + "/" + entry)
    }

    public var description: String { path }

    public static func < (a: StorageName, b: StorageName) -> Bool { a.path < b.path }

    private static func padded(_ id: Int64) -> String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
