/// The retention policies a configuration file sets (``ConfigurationFile``): a default for
/// every node (`keep-*` keys at the top of the file) and per node (`keep-*` keys in a
/// `[node NAME]` section). They rank above the repository's stored policies and below the
/// command line's `--keep-*` flags: flags > file's node section > file's default > stored
/// node policy > stored default.
public struct ConfiguredRetention: Sendable, Equatable {
    /// The file they come from, named in `prune`'s output.
    public var path: String
    public var defaultPolicy: RetentionPolicy?
    public var nodes: [String: RetentionPolicy]

    public init(path: String, defaultPolicy: RetentionPolicy? = nil, nodes: [String: RetentionPolicy] = [:]) {
        self.path = path
        self.defaultPolicy = defaultPolicy.flatMap { $0.isEmpty ? nil : $0 }
        self.nodes = nodes.filter { !$0.value.isEmpty }
    }

    /// True when the file sets no policy at all.
    public var isEmpty: Bool { defaultPolicy == nil && nodes.isEmpty }

    /// The file's policy for `node`, and whether it is the node's own or the default.
    public func policy(for node: String) -> (policy: RetentionPolicy, own: Bool)? {
        if let own = nodes[node] { return (own, true) }
        return defaultPolicy.map { ($0, false) }
    }

    /// Whether a prune of `node` (nil: every node) finds a policy in the file.
    func applies(to node: String?) -> Bool {
        guard let node else { return !isEmpty }
        return policy(for: node) != nil
    }
}
