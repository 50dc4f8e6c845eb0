import GRDB

/// A new `in_progress` row of the `backup` table: who and what the backup is, before any of
/// its objects is stored. Its fields are the manifest header's (``BackupManifest/Header``)
/// that are known before the copy, under the same names, so the row that ``CompletedBackupRow``
/// completes holds the same values.
struct NewBackupRow: Encodable, PersistableRecord {
    static let databaseTableName = "backup"
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }

    /// nil: the next id (ingest, copy); set: the manifest's own (rebuild, check).
    var id: Int64?
    var node: String
    var label: String?
    var takenAt: String
    var createdAt: String
    var state = BackupState.inProgress
    var source: BackupSource
    var sourcePath: String?
    var consistent: Bool?

    /// The row of a backup being ingested.
    init(_ source: IngestSource, createdAt: String) {
        node = source.node
        label = source.label
        takenAt = Timestamp.format(source.takenAt)
        self.createdAt = createdAt
        self.source = source.origin
        sourcePath = source.sourcePath
        consistent = source.consistent
    }

    /// The row of the backup `header` describes: under its own id (`keepingID`), or under
    /// the next id of this catalog (a copy from another repository).
    init(_ header: BackupManifest.Header, keepingID: Bool) {
        id = keepingID ? header.id : nil
        node = header.node
        label = header.label
        takenAt = header.takenAt
        createdAt = header.createdAt
        source = header.source
        sourcePath = header.sourcePath
        consistent = header.consistent
    }
}
