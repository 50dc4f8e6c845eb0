import GRDB

/// The manifest's header is also the `backup` row's own columns: each field is the column
/// of the same name by GRDB's snake_case rule (`takenAt` is `taken_at`, `parentID` (key
/// `parentId`) is `parent_id`). The completed row is written from it (``CompletedBackupRow``)
/// and read back into it (``ManifestLoader``), so a field added to the header is a column
/// of the row, or the write fails: the manifest and the catalog row cannot drift.
extension BackupManifest.Header: FetchableRecord, EncodableRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
