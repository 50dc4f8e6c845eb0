import GRDB

/// Where a backup is in its life, as the `backup.state` column and `list`'s `state` hold it.
public enum BackupState: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Being written: a row exists, its manifest may not yet.
    case inProgress = "in_progress"
    /// Its manifest is in the repository and its rows in the catalog.
    case complete
    /// The writer failed or was interrupted (`failure` says why); `prune` removes it.
    case failed
}
