/// `warren prune [--keep-…] [--node NAME] [--dry-run]`.
public struct PruneRequest: Sendable {
    /// The keep flags; nil or empty means "use the stored policies".
    public var policy: RetentionPolicy?
    /// Only this node's backups.
    public var node: String?
    /// Plan only: nothing is changed and the lock is not taken.
    public var dryRun: Bool
    /// The configuration file's policies, which rank between the flags and the stored ones.
    public var configured: ConfiguredRetention?

    public init(policy: RetentionPolicy? = nil, node: String? = nil, dryRun: Bool = false, configured: ConfiguredRetention? = nil) {
        self.policy = policy
        self.node = node
        self.dryRun = dryRun
        self.configured = configured
    }
}
