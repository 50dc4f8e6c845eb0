/// The retention rules as a pure function: backups in, a keep/remove decision with reasons
/// out. No catalog, no clock.
///
/// Per node (one node's backups never push out another's), newest first:
/// - each counted rule (``RetentionRule``) walks the node's *complete* backups and keeps the
///   newest one of each of its N most recent buckets, reason `daily 3/7` (the 3rd of 7);
/// - `keepWithin` keeps complete backups taken less than the span before the node's newest
///   complete backup, reason `within 14d`;
/// - always kept, whatever the policy: pinned backups (`pinned`), backups in progress
///   (`in progress`), and the newest complete backup whose last verdict is viable or
///   viable with warnings (`newest viable`). When none is viable: the newest never-verified
///   complete backup (`newest (none verified)` if nothing was ever verified, else
///   `newest unverified (none viable)`), else the newest complete one (`newest (none viable)`);
/// - a node without a policy keeps everything (`no policy`).
///
/// Failed backups match no rule: they are removed unless pinned.
public enum RetentionPlanner {
    /// Decisions for every backup, ordered by node, then newest first.
    public static func plan(_ backups: [RetentionCandidate], policy: (String) -> RetentionPolicy?) -> [RetentionDecision] {
        let byNode = Dictionary(grouping: backups, by: \.node)
        return byNode.keys.sorted().flatMap { node in planNode(byNode[node]!, policy: policy(node)) }
    }

    /// The same policy for every node.
    public static func plan(_ backups: [RetentionCandidate], policy: RetentionPolicy) -> [RetentionDecision] {
        plan(backups) { _ in policy }
    }

    private static func planNode(_ backups: [RetentionCandidate], policy: RetentionPolicy?) -> [RetentionDecision] {
        let sorted = backups.sorted { ($0.takenAt, $0.id) > ($1.takenAt, $1.id) }
        var reasons = [[String]](repeating: [], count: sorted.count)
        let complete = sorted.indices.filter { sorted[$0].isComplete }

        if let policy {
            for rule in RetentionRule.allCases {
                guard let limit = policy.count(for: rule) else { continue }
                var used = 0
                var lastBucket: Int64?
                for (position, index) in complete.enumerated() {
                    guard used < limit else { break }
                    let bucket = rule.bucket(of: sorted[index], position: position)
                    if bucket != lastBucket {
                        used += 1
                        lastBucket = bucket
                        reasons[index].append("\(rule.rawValue) \(used)/\(limit)")
                    }
                }
            }
            if let within = policy.keepWithin, let newest = complete.first {
                let cutoff = within.cutoff(before: sorted[newest].takenAt)
                for index in complete where sorted[index].takenAt > cutoff {
                    reasons[index].append("within \(within)")
                }
            }
        } else {
            for index in sorted.indices { reasons[index].append("no policy") }
        }

        for index in sorted.indices where sorted[index].pinned { reasons[index].append("pinned") }
        if let (index, reason) = newestGood(sorted, complete: complete) { reasons[index].append(reason) }
        for index in sorted.indices where sorted[index].state == .inProgress { reasons[index].append("in progress") }

        return sorted.indices.map { index in
            let b = sorted[index]
            return RetentionDecision(
                id: b.id, node: b.node, takenAt: UTCCalendar.format(b.takenAt), state: b.state, pinned: b.pinned,
                lastVerdict: b.lastVerdict, action: reasons[index].isEmpty ? "remove" : "keep", reasons: reasons[index])
        }
    }

    /// The backup that must survive so that the node keeps something restorable.
    private static func newestGood(_ sorted: [RetentionCandidate], complete: [Int]) -> (Int, String)? {
        if let index = complete.first(where: { sorted[$0].isViable }) { return (index, "newest viable") }
        let anyVerified = complete.contains { sorted[$0].lastVerdict != nil }
        if let index = complete.first(where: { sorted[$0].lastVerdict == nil }) {
            return (index, anyVerified ? "newest unverified (none viable)" : "newest (none verified)")
        }
        return complete.first.map { ($0, "newest (none viable)") }
    }
}
