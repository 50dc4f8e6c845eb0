/// One level of a priority queue (`x-max-priority`) as stored: RabbitMQ keeps each level in
/// its own queue directory, whose `.queue_name` says `QUEUE: <name>\0<level byte>`.
public struct PriorityLevel: Sendable, Codable, Equatable {
    public var priority: Int
    public var dirName: String
    public var dirMatchesName: Bool
    public var indexVersion: Int?
    public var fileCount: Int
    public var bytes: Int64
    /// Persistent messages at this level, from its index files; nil when not counted.
    public var messages: Int?
    public var payloadBytes: Int64?
    public var indexError: String?

    /// Every key, null when unset (one rule for every answer, CLI and API alike).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(priority, forKey: .priority)
        try c.encode(dirName, forKey: .dirName)
        try c.encode(dirMatchesName, forKey: .dirMatchesName)
        try c.encode(indexVersion, forKey: .indexVersion)
        try c.encode(fileCount, forKey: .fileCount)
        try c.encode(bytes, forKey: .bytes)
        try c.encode(messages, forKey: .messages)
        try c.encode(payloadBytes, forKey: .payloadBytes)
        try c.encode(indexError, forKey: .indexError)
    }
}
