/// The policy a prune applied to one node, and where it came from.
public struct AppliedPolicy: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Codable {
        /// The command line's keep flags.
        case flags
        /// The configuration file's `[node NAME]` section (``ConfiguredRetention``).
        case fileNode = "file_node"
        /// The configuration file's default `keep-*` keys.
        case fileDefault = "file_default"
        /// The node's stored policy.
        case node
        /// The stored default policy.
        case `default`
        /// No policy: everything of the node is kept.
        case none
    }

    public var node: String
    public var source: Source
    public var policy: RetentionPolicy?

    private enum CodingKeys: String, CodingKey { case node, source, policy }

    public init(node: String, source: Source, policy: RetentionPolicy?) {
        self.node = node
        self.source = source
        self.policy = policy
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(node, forKey: .node)
        try c.encode(source, forKey: .source)
        try c.encode(policy, forKey: .policy)
    }

    /// Which policy applies to `node`: the flags when given, else the configuration file's
    /// (the node's section, else its default), else the node's stored policy, else the
    /// stored default, else none.
    static func resolve(node: String, flags: RetentionPolicy?, configured: ConfiguredRetention? = nil, stored: [StoredPolicy]) -> AppliedPolicy {
        if let flags, !flags.isEmpty { return AppliedPolicy(node: node, source: .flags, policy: flags) }
        if let file = configured?.policy(for: node) {
            return AppliedPolicy(node: node, source: file.own ? .fileNode : .fileDefault, policy: file.policy)
        }
        if let own = stored.first(where: { $0.node == node }) { return AppliedPolicy(node: node, source: .node, policy: own.policy) }
        if let fallback = stored.first(where: \.isDefault) {
            return AppliedPolicy(node: node, source: .default, policy: fallback.policy)
        }
        return AppliedPolicy(node: node, source: .none, policy: nil)
    }
}
