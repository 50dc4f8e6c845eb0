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
