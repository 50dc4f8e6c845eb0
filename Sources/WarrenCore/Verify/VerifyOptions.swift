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

    public init(full: Bool = false, targetVersion: String? = nil, excludeQueues: [String] = [], excludeVhosts: [String] = []) {
        self.full = full
        self.targetVersion = targetVersion
        self.excludeQueues = excludeQueues
        self.excludeVhosts = excludeVhosts
    }
}
