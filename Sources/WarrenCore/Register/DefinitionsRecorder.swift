import GRDB

/// Writes a backup's definitions inventory (vhosts, queues, exchanges, bindings, policies).
enum DefinitionsRecorder {
    static func record(_ definitions: Definitions, backupID id: Int64, in db: Database) throws {
        let vhost = try db.makeStatement(sql: "INSERT OR IGNORE INTO def_vhost (backup_id, name, default_queue_type) VALUES (?, ?, ?)")
        for v in definitions.vhosts {
            try vhost.execute(arguments: [id, v.name, v.defaultQueueType])
        }
        let queue = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO def_queue (backup_id, vhost, name, type, durable, auto_delete, arguments)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for q in definitions.queues {
            try queue.execute(arguments: [
                id, q.vhost, q.name, definitions.resolvedType(of: q), q.durable, q.autoDelete,
                JSONValue.canonicalJSON(q.arguments),
            ])
        }
        let exchange = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO def_exchange (backup_id, vhost, name, type, durable, auto_delete, internal, arguments)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for e in definitions.exchanges {
            try exchange.execute(arguments: [
                id, e.vhost, e.name, e.type, e.durable, e.autoDelete, e.internal, JSONValue.canonicalJSON(e.arguments),
            ])
        }
        let binding = try db.makeStatement(sql: """
            INSERT INTO def_binding (backup_id, vhost, source, destination, destination_type, routing_key, arguments)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for b in definitions.bindings {
            try binding.execute(arguments: [
                id, b.vhost, b.source, b.destination, b.destinationType, b.routingKey, JSONValue.canonicalJSON(b.arguments),
            ])
        }
        let policy = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO def_policy (backup_id, vhost, name, pattern, apply_to, priority, definition)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for p in definitions.policies {
            try policy.execute(arguments: [
                id, p.vhost, p.name, p.pattern, p.applyTo, p.priority, JSONValue.canonicalJSON(p.definition),
            ])
        }
    }
}
