import GRDB

/// The manifest's header is also the `backup` row's own columns: each coding key (spelled
/// out in snake_case, see ``BackupManifest/Header/CodingKeys``) is the column of that name.
/// The completed row is written from it (``CompletedBackupRow``) and read back into it
/// (``ManifestLoader``), so a field added to the header is a column of the row, or the
/// write fails: the manifest and the catalog row cannot drift.
extension BackupManifest.Header: FetchableRecord, EncodableRecord {}
