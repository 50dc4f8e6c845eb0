/// How a scheduled run ended.
public enum ScheduleOutcome: String, Sendable, Codable, CaseIterable {
    /// Backup, verify and prune all done.
    case succeeded
    /// A step failed; the run's `error` says which and why.
    case failed
}
