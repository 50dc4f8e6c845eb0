/// Parses a definitions file and rejects anything that is not a cluster-wide export,
/// saying what it is instead and what to export.
public enum DefinitionsParser {
    static let exportAdvice =
        "export cluster-wide definitions with `rabbitmqctl export_definitions FILE.json` or `GET /api/definitions`"

    /// - Parameter path: used in error messages only.
    public static func parse(_ bytes: [UInt8], path: String) throws -> Definitions {
        // Strict: a duplicate key (RabbitMQ keeps the last, so a second "queues": [] would
        // empty the list for the broker but not for a lenient reader), invalid UTF-8 and
        // numbers out of range are refused with what and where.
        let value: JSONValue
        do throws(StrictJSONError) {
            value = try StrictJSON.parse(bytes)
        } catch {
            throw WarrenError.invalidDefinitions(path: path, reason: error.description)
        }
        guard case let .object(top) = value else {
            throw WarrenError.invalidDefinitions(
                path: path, reason: "is JSON but not a RabbitMQ definitions export (top level is not an object); \(exportAdvice)")
        }
        let known = ["rabbit_version", "rabbitmq_version", "vhosts", "users", "queues", "exchanges", "bindings", "policies"]
        guard known.contains(where: { top[$0] != nil }) else {
            throw WarrenError.invalidDefinitions(
                path: path, reason: "is JSON but not a RabbitMQ definitions export (none of \(known.joined(separator: ", ")) present); \(exportAdvice)")
        }
        let reader = Reader(path: path)
        let queuesRaw = try reader.array(top, "queues")
        let perVhostHint = queuesRaw.contains { if case let .object(q) = $0 { return q["vhost"] == nil } else { return false } }
        if top["vhosts"] == nil || perVhostHint {
            throw WarrenError.invalidDefinitions(
                path: path, reason: "is a per-vhost export (no vhosts list, queues without a vhost field); Warren needs a cluster-wide export: \(exportAdvice)")
        }

        var definitions = Definitions(
            brokerVersion: reader.optionalString(top, "rabbitmq_version") ?? reader.optionalString(top, "rabbit_version"),
            users: [], vhosts: [], permissionCount: 0, topicPermissionCount: 0,
            queues: [], exchanges: [], bindings: [], policies: [])

        for (i, raw) in try reader.array(top, "users").enumerated() {
            let o = try reader.object(raw, "users[\(i)]")
            let hash = o["password_hash"]?.stringValue ?? ""
            definitions.users.append(.init(name: try reader.string(o, "name", at: "users[\(i)]"), hasPasswordHash: !hash.isEmpty))
        }
        for (i, raw) in try reader.array(top, "vhosts").enumerated() {
            let o = try reader.object(raw, "vhosts[\(i)]")
            var dqt = o["default_queue_type"]?.stringValue
            if dqt == nil, case let .object(meta)? = o["metadata"] { dqt = meta["default_queue_type"]?.stringValue }
            definitions.vhosts.append(.init(name: try reader.string(o, "name", at: "vhosts[\(i)]"), defaultQueueType: dqt))
        }
        definitions.permissionCount = try reader.array(top, "permissions").count
        definitions.topicPermissionCount = try reader.array(top, "topic_permissions").count
        for (i, raw) in queuesRaw.enumerated() {
            let at = "queues[\(i)]"
            let o = try reader.object(raw, at)
            definitions.queues.append(.init(
                vhost: try reader.string(o, "vhost", at: at),
                name: try reader.string(o, "name", at: at),
                durable: try reader.bool(o, "durable", at: at, default: true),
                autoDelete: try reader.bool(o, "auto_delete", at: at, default: false),
                arguments: try reader.dictionary(o, "arguments", at: at),
                declaredType: reader.optionalString(o, "type")))
        }
        for (i, raw) in try reader.array(top, "exchanges").enumerated() {
            let at = "exchanges[\(i)]"
            let o = try reader.object(raw, at)
            definitions.exchanges.append(.init(
                vhost: try reader.string(o, "vhost", at: at),
                name: try reader.string(o, "name", at: at),
                type: try reader.string(o, "type", at: at),
                durable: try reader.bool(o, "durable", at: at, default: true),
                autoDelete: try reader.bool(o, "auto_delete", at: at, default: false),
                internal: try reader.bool(o, "internal", at: at, default: false),
                arguments: try reader.dictionary(o, "arguments", at: at)))
        }
        for (i, raw) in try reader.array(top, "bindings").enumerated() {
            let at = "bindings[\(i)]"
            let o = try reader.object(raw, at)
            definitions.bindings.append(.init(
                vhost: try reader.string(o, "vhost", at: at),
                source: try reader.string(o, "source", at: at),
                destination: try reader.string(o, "destination", at: at),
                destinationType: try reader.string(o, "destination_type", at: at),
                routingKey: try reader.string(o, "routing_key", at: at),
                arguments: try reader.dictionary(o, "arguments", at: at)))
        }
        for (i, raw) in try reader.array(top, "policies").enumerated() {
            let at = "policies[\(i)]"
            let o = try reader.object(raw, at)
            definitions.policies.append(.init(
                vhost: try reader.string(o, "vhost", at: at),
                name: try reader.string(o, "name", at: at),
                pattern: try reader.string(o, "pattern", at: at),
                applyTo: reader.optionalString(o, "apply-to") ?? "all",
                priority: o["priority"]?.intValue ?? 0,
                definition: try reader.dictionary(o, "definition", at: at)))
        }
        return definitions
    }

    /// Field access that names the path and the JSON location in every error.
    private struct Reader {
        let path: String

        func fail(_ reason: String) -> WarrenError {
            .invalidDefinitions(path: path, reason: reason)
        }

        func array(_ o: [String: JSONValue], _ key: String) throws -> [JSONValue] {
            switch o[key] {
            case nil, .null?: return []
            case let .array(items)?: return items
            default: throw fail("\"\(key)\" is not a list")
            }
        }

        func object(_ value: JSONValue, _ at: String) throws -> [String: JSONValue] {
            guard case let .object(o) = value else { throw fail("\(at) is not an object") }
            return o
        }

        func string(_ o: [String: JSONValue], _ key: String, at: String) throws -> String {
            guard case let .string(s)? = o[key] else { throw fail("\(at).\(key) is missing or not a string") }
            return s
        }

        func optionalString(_ o: [String: JSONValue], _ key: String) -> String? {
            o[key]?.stringValue
        }

        func bool(_ o: [String: JSONValue], _ key: String, at: String, default value: Bool) throws -> Bool {
            switch o[key] {
            case nil, .null?: return value
            case let .bool(b)?: return b
            case let .string(s)? where s == "true" || s == "false": return s == "true"
            default: throw fail("\(at).\(key) is not a boolean")
            }
        }

        func dictionary(_ o: [String: JSONValue], _ key: String, at: String) throws -> [String: JSONValue] {
            switch o[key] {
            case nil, .null?: return [:]
            case let .object(d)?: return d
            case let .array(a)? where a.isEmpty: return [:]  // Erlang's empty proplist exports as []
            default: throw fail("\(at).\(key) is not an object")
            }
        }
    }
}
