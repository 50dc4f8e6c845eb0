/// One thing `rabbitmqctl stop_app` drops on the source, so that no backup taken with the
/// app stopped can hold it (issue 16 §2).
public struct StopLoss: Sendable, Codable, Equatable {
    public typealias Kind = StopLossKind

    public var kind: Kind
    public var vhost: String
    public var queue: String?
    public var exchange: String?
    /// Messages lost with it (0 for an exchange).
    public var messages: Int

    public init(kind: Kind, vhost: String, queue: String? = nil, exchange: String? = nil, messages: Int = 0) {
        self.kind = kind
        self.vhost = vhost
        self.queue = queue
        self.exchange = exchange
        self.messages = messages
    }

    private enum CodingKeys: String, CodingKey { case kind, vhost, queue, exchange, messages }

    /// Every key present, `null` when unset (the one null rule of Warren's JSON).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(vhost, forKey: .vhost)
        try c.encode(queue, forKey: .queue)
        try c.encode(exchange, forKey: .exchange)
        try c.encode(messages, forKey: .messages)
    }

    /// One line for people, naming the vhost, the queue or exchange and the count.
    public var sentence: String {
        let q = "queue '\(queue ?? "")' in vhost '\(vhost)'"
        switch kind {
        case .transientMessages: return "\(q): \(messages) transient messages are dropped (only persistent messages survive stop_app)"
        case .nonDurableQueue: return "\(q) is not durable: it is deleted, with its \(messages) messages"
        case .exclusiveQueue: return "\(q) is exclusive: it is deleted with its connection, with its \(messages) messages"
        case .autoDeleteQueue: return "\(q) is auto-delete: it is deleted when its consumers go, with its \(messages) messages"
        case .nonDurableExchange: return "exchange '\(exchange ?? "")' in vhost '\(vhost)' is not durable: it is deleted, with its bindings"
        }
    }
}
