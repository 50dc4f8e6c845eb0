/// What `warren catalog rebuild` cannot bring back: records that live only in the catalog,
/// with no manifest, tombstone or state document under the repository (issue 17).
///
/// Pins with their notes, each backup's last plain verdict and the stored retention policies
/// do come back (from `state/`); labels, inventories, files and offline counts come back
/// from the manifests.
public enum UnrebuiltRecord: String, Sendable, Codable, CaseIterable {
    /// Failed backups (and ones left in progress): they never got a manifest.
    case failedBackups = "failed_backups"
    /// Every verify run but each backup's last plain verdict (`verify --full`, `--target-*` runs).
    case verificationHistory = "verification_history"
    /// `warren restores`: the restore runs and their outcomes.
    case restoreHistory = "restore_history"
    /// `warren schedule`: the schedules and their run history.
    case schedules
    /// "backup N was pruned on …": a deleted backup's record (its id is still never reused).
    case deletionRecords = "deletion_records"

    /// One line for the text output.
    public var detail: String {
        switch self {
        case .failedBackups: "failed backups (they have no manifest)"
        case .verificationHistory: "the verification history (only each backup's last plain verdict came back)"
        case .restoreHistory: "the restore history (`warren restores`)"
        case .schedules: "schedules and their run history: add them again with `warren schedule add`"
        case .deletionRecords: "when and how deleted backups went (`show ID` of one: no such backup)"
        }
    }
}
