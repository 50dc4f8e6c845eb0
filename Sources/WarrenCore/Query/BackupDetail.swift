/// One backup as `show` presents it: the summary plus every vhost and queue, defined or
/// stored, with what the broker would do with it.
public struct BackupDetail: Sendable, Codable, Equatable {
    public struct VHost: Sendable, Codable, Equatable {
        /// Nil for a vhost directory whose `.vhost` file is missing.
        public var name: String?
        /// In the definitions file.
        public var defined: Bool
        /// Has a directory under `msg_stores/vhosts/`.
        public var stored: Bool
        public var dirName: String?
        public var dirMatchesName: Bool?
        public var definedQueueCount: Int
        public var storedQueueCount: Int
        public var fileCount: Int
        public var bytes: Int64
        /// Set when the broker would not load this data, e.g. `no_definition`.
        public var problem: String?

        /// Every key, null when unset (one rule for every answer, CLI and API alike).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(defined, forKey: .defined)
            try c.encode(stored, forKey: .stored)
            try c.encode(dirName, forKey: .dirName)
            try c.encode(dirMatchesName, forKey: .dirMatchesName)
            try c.encode(definedQueueCount, forKey: .definedQueueCount)
            try c.encode(storedQueueCount, forKey: .storedQueueCount)
            try c.encode(fileCount, forKey: .fileCount)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(problem, forKey: .problem)
        }
    }

    public struct Queue: Sendable, Codable, Equatable {
        public var vhost: String?
        public var name: String?
        public var defined: Bool
        /// Resolved type (classic, quorum, stream) when defined.
        public var type: String?
        public var durable: Bool?
        public var autoDelete: Bool?
        public var arguments: [String: JSONValue]?
        /// A queue directory with index or store files under `msg_stores`.
        public var hasData: Bool
        public var dirName: String?
        public var dirMatchesName: Bool?
        public var indexVersion: Int?
        public var fileCount: Int
        public var bytes: Int64
        /// Offline accounting from the stored index files: persistent messages a restore
        /// brings back, their payload bytes, where their bodies are, and the sequence range.
        /// Nil when not counted; `indexError` says why the index could not be read.
        public var messages: Int?
        public var payloadBytes: Int64?
        public var embeddedInIndex: Int?
        public var inSharedStore: Int?
        public var inQueueStore: Int?
        public var oldestSeqId: Int64?
        public var newestSeqId: Int64?
        public var indexError: String?
        /// A priority queue's stored levels, highest first (the queue's counts above are
        /// their sums); nil for a plain queue.
        public var priorityLevels: [PriorityLevel]?
        /// Set when the broker would delete or ignore this data at start: `no_definition`,
        /// `dir_name_mismatch`, `no_queue_name_file`.
        public var problem: String?

        /// Every key, null when unset (one rule for every answer, CLI and API alike).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(vhost, forKey: .vhost)
            try c.encode(name, forKey: .name)
            try c.encode(defined, forKey: .defined)
            try c.encode(type, forKey: .type)
            try c.encode(durable, forKey: .durable)
            try c.encode(autoDelete, forKey: .autoDelete)
            try c.encode(arguments, forKey: .arguments)
            try c.encode(hasData, forKey: .hasData)
            try c.encode(dirName, forKey: .dirName)
            try c.encode(dirMatchesName, forKey: .dirMatchesName)
            try c.encode(indexVersion, forKey: .indexVersion)
            try c.encode(fileCount, forKey: .fileCount)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(messages, forKey: .messages)
            try c.encode(payloadBytes, forKey: .payloadBytes)
            try c.encode(embeddedInIndex, forKey: .embeddedInIndex)
            try c.encode(inSharedStore, forKey: .inSharedStore)
            try c.encode(inQueueStore, forKey: .inQueueStore)
            try c.encode(oldestSeqId, forKey: .oldestSeqId)
            try c.encode(newestSeqId, forKey: .newestSeqId)
            try c.encode(indexError, forKey: .indexError)
            try c.encode(priorityLevels, forKey: .priorityLevels)
            try c.encode(problem, forKey: .problem)
        }
    }

    public var backup: BackupSummary
    public var vhosts: [VHost]
    public var queues: [Queue]
}
