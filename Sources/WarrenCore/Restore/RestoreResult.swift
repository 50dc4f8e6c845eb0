/// What a restore did, and how every restored queue came back.
public struct RestoreResult: Sendable, Codable {
    public struct QueueCheck: Sendable, Codable, Equatable {
        public var vhost: String
        public var queue: String
        public var expected: Int?
        public var restored: Int?
        /// `ok`, `short` (fewer than expected), `more`, `excluded`, `definition_only`
        /// (quorum, stream: no data in msg_stores), `missing` (not on the node), `unknown`.
        public var status: String

        /// Every key, null when unset (one rule for every answer, CLI and API alike).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(vhost, forKey: .vhost)
            try c.encode(queue, forKey: .queue)
            try c.encode(expected, forKey: .expected)
            try c.encode(restored, forKey: .restored)
            try c.encode(status, forKey: .status)
        }
    }

    public var plan: RestorePlan
    public var dryRun: Bool
    /// `planned` (dry run), `succeeded`, `short` (some queue came back with fewer messages).
    public var outcome: String
    public var filesWritten: Int
    public var bytesWritten: Int64
    public var movedAside: [String]
    public var queues: [QueueCheck]
    /// How many classic queues the imported definitions got an explicit `x-queue-type:
    /// classic` (so no vhost's `default_queue_type` can turn them into quorum queues).
    public var classicTypePinned: Int?

    /// Every key, null when unset (one rule for every answer, CLI and API alike).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(plan, forKey: .plan)
        try c.encode(dryRun, forKey: .dryRun)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(filesWritten, forKey: .filesWritten)
        try c.encode(bytesWritten, forKey: .bytesWritten)
        try c.encode(movedAside, forKey: .movedAside)
        try c.encode(queues, forKey: .queues)
        try c.encode(classicTypePinned, forKey: .classicTypePinned)
    }
}
