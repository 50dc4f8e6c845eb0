/// A vhost of the node a backup would be restored into, as `verify --target-node` reads it
/// (`rabbitmqctl list_vhosts name default_queue_type`).
public struct TargetVhost: Sendable, Equatable, Codable {
    public var name: String
    /// The vhost's `default_queue_type` metadata: nil when unset (3.x says `undefined`).
    public var defaultQueueType: String?

    public init(name: String, defaultQueueType: String?) {
        self.name = name
        self.defaultQueueType = defaultQueueType
    }

    /// Asks the running node.
    public static func list(_ broker: BrokerControl) throws -> [TargetVhost] {
        try broker.listJSON(["list_vhosts", "name", "default_queue_type"], step: "list vhosts with their default queue type").compactMap {
            guard let name = $0["name"] as? String else { return nil }
            let type = $0["default_queue_type"] as? String
            return TargetVhost(name: name, defaultQueueType: type == "undefined" || type?.isEmpty == true ? nil : type)
        }
    }
}
