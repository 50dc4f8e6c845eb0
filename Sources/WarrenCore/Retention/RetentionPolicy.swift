/// Which backups of one node to keep. A backup is kept when any rule keeps it; pinned,
/// in-progress and the newest viable backups are kept whatever the policy says (see
/// ``RetentionPlanner``). A policy with no rule is empty, and `prune` refuses it.
public struct RetentionPolicy: Sendable, Equatable, Codable {
    public var keepLast: Int?
    public var keepHourly: Int?
    public var keepDaily: Int?
    public var keepWeekly: Int?
    public var keepMonthly: Int?
    public var keepYearly: Int?
    /// Keep every backup taken less than this span before the node's newest backup.
    public var keepWithin: RetentionDuration?

    public init(
        keepLast: Int? = nil, keepHourly: Int? = nil, keepDaily: Int? = nil, keepWeekly: Int? = nil,
        keepMonthly: Int? = nil, keepYearly: Int? = nil, keepWithin: RetentionDuration? = nil
    ) {
        self.keepLast = keepLast
        self.keepHourly = keepHourly
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
        self.keepMonthly = keepMonthly
        self.keepYearly = keepYearly
        self.keepWithin = keepWithin
    }

    public var isEmpty: Bool { RetentionRule.allCases.allSatisfy { count(for: $0) == nil } && keepWithin == nil }

    public func count(for rule: RetentionRule) -> Int? {
        switch rule {
        case .last: return keepLast
        case .hourly: return keepHourly
        case .daily: return keepDaily
        case .weekly: return keepWeekly
        case .monthly: return keepMonthly
        case .yearly: return keepYearly
        }
    }

    /// Counts must be at least 1 (a count of 0 would be a rule that keeps nothing).
    public func validate() throws {
        for rule in RetentionRule.allCases {
            if let n = count(for: rule), n < 1 {
                throw WarrenError.invalidArgument(name: "keep_\(rule.rawValue)", reason: "must be at least 1 (got \(n))")
            }
        }
    }

    /// `last 3, daily 7, within 14d`, or `none`.
    public var summary: String {
        var parts = RetentionRule.allCases.compactMap { rule in count(for: rule).map { "\(rule.rawValue) \($0)" } }
        if let keepWithin { parts.append("within \(keepWithin)") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    private enum CodingKeys: String, CodingKey {
        case keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin
    }

    /// Every key is present in JSON, `null` when the rule is not set.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(keepLast, forKey: .keepLast)
        try c.encode(keepHourly, forKey: .keepHourly)
        try c.encode(keepDaily, forKey: .keepDaily)
        try c.encode(keepWeekly, forKey: .keepWeekly)
        try c.encode(keepMonthly, forKey: .keepMonthly)
        try c.encode(keepYearly, forKey: .keepYearly)
        try c.encode(keepWithin, forKey: .keepWithin)
    }
}
