import GRDB

/// How a backup was made, as the `backup.source` column, `list`'s `source` and the
/// manifest's `source` hold it (the column's CHECK allows exactly these).
public enum BackupSource: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// `warren register` of a copy made by hand.
    case register
    /// `warren backup` of a running node.
    case backup
}
