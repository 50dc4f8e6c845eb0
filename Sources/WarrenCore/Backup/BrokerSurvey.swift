import Foundation

/// What a running broker holds, asked just before `backup --stop-app` stops its app
/// (`list_queues` and `list_exchanges`): the figures that say what stopping will drop, and the
/// internal exchanges that `export_definitions` leaves out (issue 16 §2, §3).
public struct BrokerSurvey: Sendable, Codable, Equatable {
    /// One queue as the broker lists it.
    public struct Queue: Sendable, Codable, Equatable {
        public var vhost: String
        public var name: String
        public var type: String
        public var durable: Bool
        public var exclusive: Bool
        public var autoDelete: Bool
        public var messages: Int
        public var messagesPersistent: Int

        // Spelled out for the manifest's plain decoder (see BackupManifest.CodingKeys).
        enum CodingKeys: String, CodingKey {
            case vhost, name, type, durable, exclusive, messages
            case autoDelete = "auto_delete", messagesPersistent = "messages_persistent"
        }
    }

    /// One exchange as the broker lists it (the default exchange, named "", is left out).
    public struct Exchange: Sendable, Codable, Equatable {
        public var vhost: String
        public var name: String
        public var type: String
        public var durable: Bool
        public var `internal`: Bool
    }

    public var queues: [Queue]
    public var exchanges: [Exchange]

    public init(queues: [Queue], exchanges: [Exchange]) {
        self.queues = queues
        self.exchanges = exchanges
    }

    /// Asks the broker, vhost by vhost.
    public static func take(_ broker: BrokerControl) throws -> BrokerSurvey {
        var queues: [Queue] = [], exchanges: [Exchange] = []
        for vhost in try broker.vhosts() {
            let queueRows = try broker.listJSON(
                ["list_queues", "-p", vhost, "name", "type", "durable", "exclusive", "auto_delete", "messages", "messages_persistent"],
                step: "list the queues of vhost '\(vhost)' before stopping the app")
            for row in queueRows {
                guard let name = row["name"] as? String else { continue }
                queues.append(Queue(
                    vhost: vhost, name: name, type: (row["type"] as? String) ?? "classic", durable: flag(row["durable"]),
                    exclusive: flag(row["exclusive"]), autoDelete: flag(row["auto_delete"]),
                    messages: (row["messages"] as? Int) ?? 0, messagesPersistent: (row["messages_persistent"] as? Int) ?? 0))
            }
            let exchangeRows = try broker.listJSON(
                ["list_exchanges", "-p", vhost, "name", "type", "durable", "internal"],
                step: "list the exchanges of vhost '\(vhost)' before stopping the app")
            for row in exchangeRows {
                guard let name = row["name"] as? String, !name.isEmpty else { continue }
                exchanges.append(Exchange(vhost: vhost, name: name, type: (row["type"] as? String) ?? "direct",
                                          durable: flag(row["durable"]), internal: flag(row["internal"])))
            }
        }
        return BrokerSurvey(queues: queues, exchanges: exchanges)
    }

    /// rabbitmqctl's JSON says `true`/`false`; older formatters gave strings.
    private static func flag(_ value: Any?) -> Bool {
        if let bool = value as? Bool { return bool }
        return (value as? String) == "true"
    }

    /// Everything `stop_app` drops, in a stable order: whole queues first, then transient
    /// messages of durable queues, then exchanges.
    public var losses: [StopLoss] {
        var whole: [StopLoss] = [], transient: [StopLoss] = [], gone: [StopLoss] = []
        for q in queues.sorted(by: { ($0.vhost, $0.name) < ($1.vhost, $1.name) }) {
            if q.exclusive {
                whole.append(StopLoss(kind: .exclusiveQueue, vhost: q.vhost, queue: q.name, messages: q.messages))
            } else if !q.durable {
                whole.append(StopLoss(kind: .nonDurableQueue, vhost: q.vhost, queue: q.name, messages: q.messages))
            } else if q.autoDelete {
                whole.append(StopLoss(kind: .autoDeleteQueue, vhost: q.vhost, queue: q.name, messages: q.messages))
            } else if q.type == "classic", q.messages > q.messagesPersistent {
                transient.append(StopLoss(kind: .transientMessages, vhost: q.vhost, queue: q.name, messages: q.messages - q.messagesPersistent))
            }
        }
        for e in exchanges.sorted(by: { ($0.vhost, $0.name) < ($1.vhost, $1.name) }) where !e.durable {
            gone.append(StopLoss(kind: .nonDurableExchange, vhost: e.vhost, exchange: e.name))
        }
        return whole + transient + gone
    }
}
