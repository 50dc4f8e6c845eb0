/// One thing `rabbitmqctl stop_app` drops on the source, so that no backup taken with the
/// app stopped can hold it (issue 16 §2).
public struct StopLoss: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Transient (delivery mode 1) messages of a durable classic queue.
        case transientMessages = "transient_messages"
        /// A non-durable queue: deleted with all its messages.
        case nonDurableQueue = "non_durable_queue"
        /// An exclusive queue: deleted with its connection.
        case exclusiveQueue = "exclusive_queue"
        /// An auto-delete queue: deleted when its consumers go.
        case autoDeleteQueue = "auto_delete_queue"
        /// A non-durable exchange (and its bindings).
        case nonDurableExchange = "non_durable_exchange"
    }

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
