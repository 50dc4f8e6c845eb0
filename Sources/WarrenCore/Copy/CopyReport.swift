/// What `warren copy` did (or, with `--dry-run`, would do), backup by backup.
public struct CopyReport: Codable, Sendable, Equatable {
    public var dryRun: Bool
    /// The target repository.
    public var target: String
    public var backups: [Entry]

    /// One source backup.
    public struct Entry: Codable, Sendable, Equatable {
        /// Its id in the source repository.
        public var source: Int64
        /// Its id in the target: the new backup, or the earlier copy; nil in a dry run that
        /// would copy it.
        public var target: Int64?
        public var outcome: CopyOutcome
        /// Objects written into the target (a dry run: that would be), and their plaintext bytes.
        public var objects: Int
        public var bytes: Int64
    }
}

/// What happened to one backup in `warren copy`.
public enum CopyOutcome: String, Codable, Sendable, Equatable, CaseIterable {
    /// Copied: objects, then manifest, then the target's catalog.
    case copied
    /// The target already holds this backup (an earlier copy): nothing was written.
    case skipped
    /// A dry run: it would be copied.
    case wouldCopy = "would_copy"
}
