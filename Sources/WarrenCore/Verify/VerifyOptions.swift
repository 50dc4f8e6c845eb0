/// What `verify` checks, and what it leaves out exactly as a restore with the same
/// exclusions would.
public struct VerifyOptions: Sendable, Equatable {
    /// Re-read every object and check its SHA-256 (else: existence and size only).
    public var full: Bool
    /// The version of the broker the backup would be restored into.
    public var targetVersion: String?
    /// Globs (fnmatch) on queue names, any vhost.
    public var excludeQueues: [String]
    /// Vhost names, exact.
    public var excludeVhosts: [String]
    /// Go on when an exclusion matches nothing (`--allow-unmatched-exclusions`); otherwise
    /// that is an error naming it.
    public var allowUnmatchedExclusions: Bool
    /// The target node's vhosts (`verify --target-node`): checked for a default_queue_type
    /// that would change a queue's type. Nil when no node was asked.
    public var targetVhosts: [TargetVhost]? = nil

    /// The exclusions, as restore takes them.
    public var exclusions: Exclusions {
        Exclusions(queueGlobs: excludeQueues, vhosts: excludeVhosts, allowUnmatched: allowUnmatchedExclusions)
    }

    /// A what-if check: against a target or with exclusions. Its verdict is recorded with
    /// them but never becomes the backup's verdict.
    public var isWhatIf: Bool { targetVersion != nil || targetVhosts != nil || !excludeQueues.isEmpty || !excludeVhosts.isEmpty }

    public init(full: Bool = false, targetVersion: String? = nil, excludeQueues: [String] = [], excludeVhosts: [String] = [],
                allowUnmatchedExclusions: Bool = false) {
        self.full = full
        self.targetVersion = targetVersion
        self.excludeQueues = excludeQueues
        self.excludeVhosts = excludeVhosts
        self.allowUnmatchedExclusions = allowUnmatchedExclusions
    }
}
