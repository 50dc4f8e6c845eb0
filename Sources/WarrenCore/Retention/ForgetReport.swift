/// What `warren forget ID...` removed (or, for a dry run, would remove) and what that freed.
/// `freed_*` is, for a dry run, what removing them would free (objects no other backup
/// references), and otherwise what was actually deleted, including deletions an interrupted
/// earlier prune, forget or gc had left queued.
public struct ForgetReport: Sendable, Codable, Equatable {
    public var dryRun: Bool
    /// The backups named, in the order given (each once).
    public var backups: [BackupSummary]
    public var freedObjects: Int
    public var freedBytes: Int64

    init(dryRun: Bool, backups: [BackupSummary], freed: FreedSpace) {
        self.dryRun = dryRun
        self.backups = backups
        freedObjects = freed.objects
        freedBytes = freed.bytes
    }
}
