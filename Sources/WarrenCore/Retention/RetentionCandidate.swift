import Foundation

/// What the retention rules look at for one backup.
public struct RetentionCandidate: Sendable, Equatable {
    public var id: Int64
    public var node: String
    public var takenAt: Date
    public var pinned: Bool
    public var state: BackupState
    /// nil when never verified.
    public var lastVerdict: Verdict?

    public init(id: Int64, node: String, takenAt: Date, pinned: Bool = false, state: BackupState = .complete, lastVerdict: Verdict? = nil) {
        self.id = id
        self.node = node
        self.takenAt = takenAt
        self.pinned = pinned
        self.state = state
        self.lastVerdict = lastVerdict
    }

    var isComplete: Bool { state == .complete }
    var isViable: Bool { lastVerdict == .viable || lastVerdict == .viableWithWarnings }
}
