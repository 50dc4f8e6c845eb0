/// What changed between two backups (`warren diff A B`): definitions added, removed or
/// changed, and per queue the stored files and bytes before and after.
public struct BackupDiff: Sendable, Codable, Equatable {
    /// One defined object (vhost, queue, exchange, binding, policy) by its identity.
    public struct Item: Sendable, Codable, Equatable {
        public var vhost: String?
        public var name: String
        /// Queue or exchange type, when it has one.
        public var type: String?

        /// Every key, null when unset (one rule for every answer, CLI and API alike).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(vhost, forKey: .vhost)
            try c.encode(name, forKey: .name)
            try c.encode(type, forKey: .type)
        }
    }

    public struct Change: Sendable, Codable, Equatable {
        public var field: String
        public var from: String
        public var to: String
    }

    public struct Changed: Sendable, Codable, Equatable {
        public var vhost: String?
        public var name: String
        public var changes: [Change]

        /// Every key, null when unset (one rule for every answer, CLI and API alike).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(vhost, forKey: .vhost)
            try c.encode(name, forKey: .name)
            try c.encode(changes, forKey: .changes)
        }
    }

    public struct Section: Sendable, Codable, Equatable {
        public var added: [Item] = []
        public var removed: [Item] = []
        public var changed: [Changed] = []

        public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
    }

    /// Stored message data of one queue directory, before (`from`) and after (`to`).
    public struct StoredQueue: Sendable, Codable, Equatable {
        public var vhost: String?
        public var name: String?
        /// `added`, `removed`, `changed` or `unchanged`.
        public var status: String
        public var filesBefore: Int
        public var filesAfter: Int
        public var bytesBefore: Int64
        public var bytesAfter: Int64
        /// Offline message counts from the index files; nil when not counted.
        public var messagesBefore: Int?
        public var messagesAfter: Int?

        /// Every key, null when unset (one rule for every answer, CLI and API alike).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(vhost, forKey: .vhost)
            try c.encode(name, forKey: .name)
            try c.encode(status, forKey: .status)
            try c.encode(filesBefore, forKey: .filesBefore)
            try c.encode(filesAfter, forKey: .filesAfter)
            try c.encode(bytesBefore, forKey: .bytesBefore)
            try c.encode(bytesAfter, forKey: .bytesAfter)
            try c.encode(messagesBefore, forKey: .messagesBefore)
            try c.encode(messagesAfter, forKey: .messagesAfter)
        }
    }

    public var from: Int64
    public var to: Int64
    public var definitionsChanged: Bool
    public var fromDefinitionsSha256: String?
    public var toDefinitionsSha256: String?
    public var vhosts: Section
    public var queues: Section
    public var exchanges: Section
    public var bindings: Section
    public var policies: Section
    public var storedQueues: [StoredQueue]

    /// Every key, null when unset (one rule for every answer, CLI and API alike).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(definitionsChanged, forKey: .definitionsChanged)
        try c.encode(fromDefinitionsSha256, forKey: .fromDefinitionsSha256)
        try c.encode(toDefinitionsSha256, forKey: .toDefinitionsSha256)
        try c.encode(vhosts, forKey: .vhosts)
        try c.encode(queues, forKey: .queues)
        try c.encode(exchanges, forKey: .exchanges)
        try c.encode(bindings, forKey: .bindings)
        try c.encode(policies, forKey: .policies)
        try c.encode(storedQueues, forKey: .storedQueues)
    }
}
