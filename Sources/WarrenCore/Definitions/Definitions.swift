/// A cluster-wide RabbitMQ definitions export, as Warren needs it. Password hashes are
/// never kept: only whether a user has one.
public struct Definitions: Sendable, Equatable {
    public struct User: Sendable, Equatable {
        public var name: String
        public var hasPasswordHash: Bool
    }

    public struct VHost: Sendable, Equatable {
        public var name: String
        /// `default_queue_type` from the vhost or its metadata (3.11+), if set.
        public var defaultQueueType: String?
    }

    public struct Queue: Sendable, Equatable {
        public var vhost: String
        public var name: String
        public var durable: Bool
        public var autoDelete: Bool
        public var arguments: [String: JSONValue]
        /// The `type` field rabbitmqctl writes; the HTTP export has none.
        public var declaredType: String?
    }

    public struct Exchange: Sendable, Equatable {
        public var vhost: String
        public var name: String
        public var type: String
        public var durable: Bool
        public var autoDelete: Bool
        public var `internal`: Bool
        public var arguments: [String: JSONValue]
    }

    public struct Binding: Sendable, Equatable {
        public var vhost: String
        public var source: String
        public var destination: String
        public var destinationType: String
        public var routingKey: String
        public var arguments: [String: JSONValue]
    }

    public struct Policy: Sendable, Equatable {
        public var vhost: String
        public var name: String
        public var pattern: String
        public var applyTo: String
        public var priority: Int64
        public var definition: [String: JSONValue]
    }

    /// `rabbitmq_version`, else `rabbit_version`.
    public var brokerVersion: String?
    public var users: [User]
    public var vhosts: [VHost]
    public var permissionCount: Int
    public var topicPermissionCount: Int
    public var queues: [Queue]
    public var exchanges: [Exchange]
    public var bindings: [Binding]
    public var policies: [Policy]

    /// The queue's type as the broker will see it: the `type` field, else
    /// `arguments["x-queue-type"]`, else the vhost's default queue type, else classic.
    public func resolvedType(of queue: Queue) -> String {
        if let type = queue.declaredType, !type.isEmpty { return type }
        if let type = queue.arguments["x-queue-type"]?.stringValue, !type.isEmpty { return type }
        if let type = vhosts.first(where: { $0.name == queue.vhost })?.defaultQueueType, !type.isEmpty {
            return type
        }
        return "classic"
    }
}
