/// What kind of thing a ``StopLoss`` is.
public enum StopLossKind: String, Sendable, Codable, CaseIterable {
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
