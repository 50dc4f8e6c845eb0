/// What `prune` decided and did. `freed` is, for a dry run, what removing the backups would
/// free (objects that no kept backup references), and otherwise what was actually deleted,
/// including deletions an interrupted earlier prune or gc had left queued.
public struct PruneReport: Sendable, Codable, Equatable {
    public var dryRun: Bool
    public var node: String?
    public var policies: [AppliedPolicy]
    /// Every backup considered, by node then newest first.
    public var backups: [RetentionDecision]
    public var keptCount: Int
    public var removedCount: Int
    public var freedObjects: Int
    public var freedBytes: Int64
    /// Stale files removed from `tmp/` (or that would be).
    public var removedTemporaryFiles: Int

    private enum CodingKeys: String, CodingKey {
        case dryRun, node, policies, backups, keptCount, removedCount, freedObjects, freedBytes, removedTemporaryFiles
    }

    init(dryRun: Bool, node: String?, policies: [AppliedPolicy], backups: [RetentionDecision]) {
        self.dryRun = dryRun
        self.node = node
        self.policies = policies
        self.backups = backups
        keptCount = backups.filter(\.keep).count
        removedCount = backups.count - keptCount
        freedObjects = 0
        freedBytes = 0
        removedTemporaryFiles = 0
    }

    public var removedIDs: [Int64] { backups.filter { !$0.keep }.map(\.id) }

    mutating func setFreed(_ freed: FreedSpace) {
        freedObjects = freed.objects
        freedBytes = freed.bytes
    }

    /// Every key is present in JSON (`node` is `null` without --node).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dryRun, forKey: .dryRun)
        try c.encode(node, forKey: .node)
        try c.encode(policies, forKey: .policies)
        try c.encode(backups, forKey: .backups)
        try c.encode(keptCount, forKey: .keptCount)
        try c.encode(removedCount, forKey: .removedCount)
        try c.encode(freedObjects, forKey: .freedObjects)
        try c.encode(freedBytes, forKey: .freedBytes)
        try c.encode(removedTemporaryFiles, forKey: .removedTemporaryFiles)
    }
}
