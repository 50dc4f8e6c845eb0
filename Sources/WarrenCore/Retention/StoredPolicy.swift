/// A policy kept in the catalog (`warren policy set`), for one node or as the default.
public struct StoredPolicy: Sendable, Equatable, Codable {
    /// Nil for the default policy, used by nodes without their own.
    public var node: String?
    public var policy: RetentionPolicy
    public var updatedAt: String

    public var isDefault: Bool { node == nil }

    private enum CodingKeys: String, CodingKey { case node, isDefault, policy, updatedAt }

    public init(node: String?, policy: RetentionPolicy, updatedAt: String) {
        self.node = node
        self.policy = policy
        self.updatedAt = updatedAt
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        node = try c.decodeIfPresent(String.self, forKey: .node)
        policy = try c.decode(RetentionPolicy.self, forKey: .policy)
        updatedAt = try c.decode(String.self, forKey: .updatedAt)
    }

    /// `{"node": "rabbit@a" | null, "is_default": bool, "policy": {…}, "updated_at": …}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(node, forKey: .node)
        try c.encode(isDefault, forKey: .isDefault)
        try c.encode(policy, forKey: .policy)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
