extension BackupManifest {
    /// The definitions inventory, one element per catalog row (`def_*` tables). Argument
    /// maps are kept as canonical JSON text (sorted keys), exactly as the catalog holds them.
    public struct Inventory: Codable, Sendable, Equatable {
        public var vhosts: [VHost]
        public var queues: [Queue]
        public var exchanges: [Exchange]
        public var bindings: [Binding]
        public var policies: [Policy]

        public struct VHost: Codable, Sendable, Equatable {
            public var name: String
            public var defaultQueueType: String?

            enum CodingKeys: String, CodingKey {
                case name
                case defaultQueueType = "default_queue_type"
            }
        }

        public struct Queue: Codable, Sendable, Equatable {
            public var vhost: String
            public var name: String
            /// As the broker will see it (``Definitions/resolvedType(of:)``).
            public var type: String
            public var durable: Bool
            public var autoDelete: Bool
            public var arguments: String

            enum CodingKeys: String, CodingKey {
                case vhost, name, type, durable, arguments
                case autoDelete = "auto_delete"
            }
        }

        public struct Exchange: Codable, Sendable, Equatable {
            public var vhost: String
            public var name: String
            public var type: String
            public var durable: Bool
            public var autoDelete: Bool
            public var `internal`: Bool
            public var arguments: String

            enum CodingKeys: String, CodingKey {
                case vhost, name, type, durable, `internal`, arguments
                case autoDelete = "auto_delete"
            }
        }

        public struct Binding: Codable, Sendable, Equatable {
            public var vhost: String
            public var source: String
            public var destination: String
            public var destinationType: String
            public var routingKey: String
            public var arguments: String

            enum CodingKeys: String, CodingKey {
                case vhost, source, destination, arguments
                case destinationType = "destination_type", routingKey = "routing_key"
            }
        }

        public struct Policy: Codable, Sendable, Equatable {
            public var vhost: String
            public var name: String
            public var pattern: String
            public var applyTo: String
            public var priority: Int64
            public var definition: String

            enum CodingKeys: String, CodingKey {
                case vhost, name, pattern, priority, definition
                case applyTo = "apply_to"
            }
        }

        /// The rows the catalog keeps: one per (vhost, name) where the catalog has that key
        /// (the first wins, as `INSERT OR IGNORE` keeps it); bindings in file order.
        init(_ d: Definitions) {
            vhosts = Self.unique(d.vhosts.map { VHost(name: $0.name, defaultQueueType: $0.defaultQueueType) }) { [$0.name] }
            queues = Self.unique(d.queues.map {
                Queue(vhost: $0.vhost, name: $0.name, type: d.resolvedType(of: $0), durable: $0.durable,
                      autoDelete: $0.autoDelete, arguments: JSONValue.canonicalJSON($0.arguments))
            }) { [$0.vhost, $0.name] }
            exchanges = Self.unique(d.exchanges.map {
                Exchange(vhost: $0.vhost, name: $0.name, type: $0.type, durable: $0.durable, autoDelete: $0.autoDelete,
                         internal: $0.internal, arguments: JSONValue.canonicalJSON($0.arguments))
            }) { [$0.vhost, $0.name] }
            bindings = d.bindings.map {
                Binding(vhost: $0.vhost, source: $0.source, destination: $0.destination, destinationType: $0.destinationType,
                        routingKey: $0.routingKey, arguments: JSONValue.canonicalJSON($0.arguments))
            }
            policies = Self.unique(d.policies.map {
                Policy(vhost: $0.vhost, name: $0.name, pattern: $0.pattern, applyTo: $0.applyTo, priority: $0.priority,
                       definition: JSONValue.canonicalJSON($0.definition))
            }) { [$0.vhost, $0.name] }
        }

        init(vhosts: [VHost], queues: [Queue], exchanges: [Exchange], bindings: [Binding], policies: [Policy]) {
            self.vhosts = vhosts
            self.queues = queues
            self.exchanges = exchanges
            self.bindings = bindings
            self.policies = policies
        }

        /// First of each key (what `INSERT OR IGNORE` keeps).
        private static func unique<T>(_ items: [T], key: (T) -> [String]) -> [T] {
            var seen = Set<[String]>()
            return items.filter { seen.insert(key($0)).inserted }
        }
    }
}
