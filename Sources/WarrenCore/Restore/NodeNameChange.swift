/// What a restore into a node with another name than the backup's means. Only `msg_stores`
/// is copied and importing the definitions homes every classic queue on the importing node,
/// so classic queues come back under the new name (seen on 3.10.8 and 4.0.5). Quorum queues
/// and streams keep no data in a backup, and RabbitMQ's backup guide (3.13–4.3) says to
/// restore those onto the same node name.
public struct NodeNameChange: Sendable, Codable, Equatable {
    /// The node the backup was taken from.
    public var from: String
    /// The target node.
    public var to: String
    /// Queues of the backup that are not classic (quorum, stream), by "vhost/queue".
    public var nonClassicQueues: [String]
    /// The sentence `restore --dry-run` prints.
    public var message: String

    /// Nil when the names are equal.
    init?(from: String, to: String, nonClassicQueues: [String]) {
        guard from != to else { return nil }
        self.from = from
        self.to = to
        self.nonClassicQueues = nonClassicQueues
        var text = "the backup was taken on \(from) and is restored into \(to): this works for classic queues (only msg_stores is copied, and importing the definitions homes every classic queue on \(to))"
        if !nonClassicQueues.isEmpty {
            text += "; \(nonClassicQueues.count) quorum queue(s) or stream(s) hold no data in the backup and come back empty, and RabbitMQ supports restoring those only onto the same node name"
        }
        message = text
    }
}
