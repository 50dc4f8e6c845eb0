/// Where a job is in its life.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting for another job to release the repository lock.
    case waiting
    case running
    case succeeded
    case failed
    case cancelled

    /// Succeeded, failed or cancelled: it will not change again.
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}
