/// What a job does.
public enum JobKind: String, Sendable, Codable, CaseIterable {
    /// `POST /v1/backups`.
    case backup
    /// `POST /v1/backups/{id}/verify`.
    case verify
    /// `POST /v1/restores`.
    case restore
    /// `POST /v1/restores/{node}/resume`: finishes an interrupted restore (result as `restore --resume --json`).
    case restoreResume = "restore_resume"
    /// `POST /v1/restores/{node}/rollback`: undoes one (result as `restore --rollback --json`).
    case restoreRollback = "restore_rollback"
    /// `POST /v1/prune`.
    case prune
    /// A schedule's run: backup, verify, prune.
    case scheduled
}
