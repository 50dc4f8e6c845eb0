/// The self-describing record of one complete backup, stored in the repository as
/// `manifests/<id>` (see ``StorageName``) before the catalog marks the backup complete.
/// It holds everything `list`, `show`, `verify`, `diff`, `export` and `restore` read from
/// the catalog, so that `warren catalog rebuild` can recreate the catalog from the
/// repository alone. The catalog rows of a backup are written from this value
/// (``ManifestRecorder``) and read back into it (``ManifestLoader``): they cannot drift.
///
/// Stored as a ``ChecksummedDocument`` (a header line with the format version and the
/// SHA-256 of the JSON body), so a flipped byte is always detected.
public struct BackupManifest: Codable, Sendable, Equatable {
    /// The document kind in the header line.
    public static let kind = "warren-manifest"
    /// Version 1: the layout below. Readers refuse versions they do not know.
    public static let currentVersion = 1

    /// The backup row: identity, provenance, definitions summary and ingest statistics.
    public var backup: Header
    /// The definitions object (`objects/…`), with password hashes as the broker exported them.
    public var definitions: ObjectReference
    /// What the definitions declare, as the catalog records it.
    public var inventory: Inventory
    /// The vhost directories found under `msg_stores/vhosts/`, sorted by directory name.
    public var storedVhosts: [StoredVHost]
    /// The queue directories, sorted by (vhost directory, queue directory), with their
    /// offline message counts.
    public var storedQueues: [StoredQueue]
    /// Every stored file, sorted by path.
    public var files: [File]
    /// The broker's own per-queue message counts when the backup was taken (`warren backup`
    /// only), sorted by (vhost, queue).
    public var expectedCounts: [ExpectedCount]
    /// What the broker held just before the copy (`warren backup` only; issue 16 §2): the
    /// figures verify turns into losses and restore's internal exchanges. Optional, so
    /// manifests written before it load (nil) and are written back byte for byte.
    public var brokerSurvey: BrokerSurvey?

    // Every type of the manifest spells its snake_case keys out (what `.convertToSnakeCase`
    // made of the property names, pinned by a golden manifest in ManifestKeysTests): a
    // decoder that converts every key costs 3 times as much, and a rebuild decodes 10
    // million file entries.
    enum CodingKeys: String, CodingKey {
        case backup, definitions, inventory, files
        case storedVhosts = "stored_vhosts", storedQueues = "stored_queues", expectedCounts = "expected_counts"
        case brokerSurvey = "broker_survey"
    }

    /// An object of the repository by content: its SHA-256 (hex) and size.
    public struct ObjectReference: Codable, Sendable, Equatable {
        public var sha256: String
        public var size: Int64
    }

    /// The backup's own fields. Timestamps are Warren's UTC format (``Timestamp``).
    public struct Header: Codable, Sendable, Equatable {
        public var id: Int64
        public var node: String
        public var label: String?
        public var takenAt: String
        public var createdAt: String
        public var completedAt: String
        public var source: BackupSource
        public var sourcePath: String?
        /// True: taken with the app stopped; false: a live copy; nil: unknown (register).
        public var consistent: Bool?
        public var brokerVersion: String?
        public var userCount: Int
        public var usersWithPassword: Int
        public var permissionCount: Int
        /// Objects (and their bytes) this backup stored first.
        public var addedObjects: Int
        public var addedBytes: Int64
        /// The earlier backup whose unchanged files were reused.
        public var parentID: Int64?
        public var bytesRead: Int64?
        public var filesReused: Int?

        enum CodingKeys: String, CodingKey {
            case id, node, label, source, consistent
            case takenAt = "taken_at", createdAt = "created_at", completedAt = "completed_at", sourcePath = "source_path"
            case brokerVersion = "broker_version", userCount = "user_count", usersWithPassword = "users_with_password"
            case permissionCount = "permission_count", addedObjects = "added_objects", addedBytes = "added_bytes"
            case bytesRead = "bytes_read", filesReused = "files_reused", parentID = "parent_id"
        }
    }
}
