/// One backup in a retention plan: kept (with every reason) or removed.
public struct RetentionDecision: Sendable, Equatable, Codable {
    public var id: Int64
    public var node: String
    public var takenAt: String
    public var state: BackupState
    public var pinned: Bool
    public var lastVerdict: Verdict?
    /// `keep` or `remove`.
    public var action: String
    /// Why it is kept, e.g. `last 1/3`, `daily 3/7`, `within 14d`, `pinned`, `newest viable`,
    /// `in progress`; empty for a removed backup.
    public var reasons: [String]

    public var keep: Bool { action == "keep" }

    private enum CodingKeys: String, CodingKey { case id, node, takenAt, state, pinned, lastVerdict, action, reasons }

    /// Every key is present in JSON (`last_verdict` is `null` when never verified).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(node, forKey: .node)
        try c.encode(takenAt, forKey: .takenAt)
        try c.encode(state, forKey: .state)
        try c.encode(pinned, forKey: .pinned)
        try c.encode(lastVerdict, forKey: .lastVerdict)
        try c.encode(action, forKey: .action)
        try c.encode(reasons, forKey: .reasons)
    }
}
