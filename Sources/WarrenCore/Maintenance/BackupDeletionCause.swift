/// What deleted a backup, as the catalog's `deleted_backup` record keeps it.
public enum BackupDeletionCause: String, Sendable, Codable, CaseIterable {
    /// `warren prune` (a retention policy).
    case prune
    /// `warren forget ID…`.
    case forget

    /// The past participle in "backup 7 was pruned on …".
    public var verb: String {
        switch self {
        case .prune: return "pruned"
        case .forget: return "forgotten"
        }
    }
}
