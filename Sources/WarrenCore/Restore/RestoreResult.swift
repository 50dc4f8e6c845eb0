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
}
