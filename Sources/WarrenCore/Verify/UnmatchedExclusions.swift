/// Exclusions that match nothing in a backup (``WarrenError/unmatchedExclusions(_:)``), in
/// domain terms: each face words them for its users (the CLI names `--exclude-queue` and
/// `--allow-unmatched-exclusions`, the API the body fields `exclude_queues` and
/// `allow_unmatched_exclusions`).
public struct UnmatchedExclusions: Sendable, Equatable {
    /// The backup the exclusions were checked against.
    public var backup: Int64
    /// Queue globs that match no queue name of the backup.
    public var queueGlobs: [String]
    /// Vhost names that are not vhosts of the backup.
    public var vhosts: [String]
    /// Up to ten of the backup's queue names, sorted, and how many more there are.
    public var queueSample: [String]
    public var moreQueues: Int
    /// Up to ten of the backup's vhost names, sorted, and how many more there are.
    public var vhostSample: [String]
    public var moreVhosts: Int

    public init(backup: Int64, queueGlobs: [String], vhosts: [String], queueNames: Set<String>, vhostNames: Set<String>) {
        self.backup = backup
        self.queueGlobs = queueGlobs
        self.vhosts = vhosts
        let queues = queueNames.sorted(), vhostList = vhostNames.sorted()
        queueSample = Array(queues.prefix(10))
        moreQueues = max(0, queues.count - 10)
        vhostSample = Array(vhostList.prefix(10))
        moreVhosts = max(0, vhostList.count - 10)
    }

    /// The request field the error is about: `exclude_queues` when a queue glob is unmatched,
    /// else `exclude_vhosts`.
    public var field: String { queueGlobs.isEmpty ? "exclude_vhosts" : "exclude_queues" }

    /// The sentence, with `queueOption`, `vhostOption` and `allowHint` in the face's words.
    public func message(queueOption: String, vhostOption: String, allowHint: String) -> String {
        var parts: [String] = []
        if !queueGlobs.isEmpty {
            parts.append("\(queueOption) \(Self.quoted(queueGlobs)) matches no queue of backup \(backup) (its queues: \(Self.sample(queueSample, more: moreQueues)))")
        }
        if !vhosts.isEmpty {
            parts.append("\(vhostOption) \(Self.quoted(vhosts)) matches no vhost of backup \(backup) (its vhosts: \(Self.sample(vhostSample, more: moreVhosts)))")
        }
        return parts.joined(separator: "; ")
            + ". A misspelt exclusion would restore exactly what it was meant to keep out: check the spelling (globs match the queue name only, in any vhost), or \(allowHint) to go on without it"
    }

    /// The core's own wording (no face's option names).
    public var description: String {
        message(queueOption: "queue exclusion", vhostOption: "vhost exclusion", allowHint: "allow unmatched exclusions")
    }

    private static func quoted(_ names: [String]) -> String {
        names.map { "'\($0)'" }.joined(separator: ", ")
    }

    private static func sample(_ names: [String], more: Int) -> String {
        guard !names.isEmpty else { return "none" }
        let shown = quoted(names)
        return more > 0 ? shown + " and \(more) more" : shown
    }
}
