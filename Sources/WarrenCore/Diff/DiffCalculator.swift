import GRDB

/// Computes a ``BackupDiff`` from the catalog, in one read snapshot.
public struct DiffCalculator: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    public func diff(from: Int64, to: Int64) throws -> BackupDiff {
        try CatalogAccess.read(catalog) { db in
                let a = try CatalogQueries.summary(db, id: from)
                let b = try CatalogQueries.summary(db, id: to)
                return BackupDiff(
                    from: from, to: to, definitionsChanged: a.definitionsSha256 != b.definitionsSha256,
                    fromDefinitionsSha256: a.definitionsSha256?.hex, toDefinitionsSha256: b.definitionsSha256?.hex,
                    vhosts: try section(db, sql: "SELECT NULL AS vhost, name, NULL AS type, default_queue_type FROM def_vhost WHERE backup_id = ?",
                                        fields: ["default_queue_type"], from: from, to: to),
                    queues: try section(db, sql: "SELECT vhost, name, type, durable, auto_delete, arguments FROM def_queue WHERE backup_id = ?",
                                        fields: ["type", "durable", "auto_delete", "arguments"], from: from, to: to),
                    exchanges: try section(db, sql: "SELECT vhost, name, type, durable, auto_delete, internal, arguments FROM def_exchange WHERE backup_id = ?",
                                           fields: ["type", "durable", "auto_delete", "internal", "arguments"], from: from, to: to),
                    bindings: try section(db, sql: """
                        SELECT vhost, source || ' -> ' || destination_type || ' ' || destination || ' [' || routing_key || '] ' || arguments AS name,
                               NULL AS type FROM def_binding WHERE backup_id = ?
                        """, fields: [], from: from, to: to),
                    policies: try section(db, sql: "SELECT vhost, name, NULL AS type, pattern, apply_to, priority, definition FROM def_policy WHERE backup_id = ?",
                                          fields: ["pattern", "apply_to", "priority", "definition"], from: from, to: to),
                    storedQueues: try storedQueues(db, from: from, to: to))
        }
    }

    /// Items are identified by (vhost, name); `fields` are compared for "changed".
    private func section(_ db: Database, sql: String, fields: [String], from: Int64, to: Int64) throws -> BackupDiff.Section {
        func load(_ id: Int64) throws -> [[String]: Row] {
            var rows: [[String]: Row] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: [id]) {
                rows[[(row["vhost"] as String?) ?? "", row["name"]]] = row
            }
            return rows
        }
        let before = try load(from), after = try load(to)
        func item(_ key: [String], _ row: Row) -> BackupDiff.Item {
            BackupDiff.Item(vhost: row["vhost"], name: key[1], type: row["type"])
        }
        var section = BackupDiff.Section()
        for key in after.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let old = before[key] else {
                section.added.append(item(key, after[key]!))
                continue
            }
            let new = after[key]!
            let changes = fields.compactMap { field -> BackupDiff.Change? in
                let a = old[field].map { "\($0.databaseValue)" } ?? "NULL"
                let b = new[field].map { "\($0.databaseValue)" } ?? "NULL"
                return a == b ? nil : BackupDiff.Change(field: field, from: Self.display(old, field), to: Self.display(new, field))
            }
            if !changes.isEmpty { section.changed.append(.init(vhost: new["vhost"], name: key[1], changes: changes)) }
        }
        for key in before.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) where after[key] == nil {
            section.removed.append(item(key, before[key]!))
        }
        return section
    }

    private static func display(_ row: Row, _ field: String) -> String {
        let value = row[field] as DatabaseValue
        switch value.storage {
        case .null: return "null"
        case let .int64(v): return ["durable", "auto_delete", "internal"].contains(field) ? (v != 0 ? "true" : "false") : String(v)
        case let .double(v): return String(v)
        case let .string(v): return v
        case let .blob(v): return "\(v.count) bytes"
        }
    }

    private func storedQueues(_ db: Database, from: Int64, to: Int64) throws -> [BackupDiff.StoredQueue] {
        func load(_ id: Int64) throws -> [[String]: (vhost: String?, name: String?, files: Int, bytes: Int64, messages: Int?)] {
            var result: [[String]: (String?, String?, Int, Int64, Int?)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT sq.vhost, sq.name, sq.priority, sq.dir_name, sv.dir_name AS vdir, sq.file_count, sq.bytes, qc.messages
                FROM store_queue sq JOIN store_vhost sv ON sv.id = sq.store_vhost_id
                LEFT JOIN queue_count qc ON qc.store_queue_id = sq.id WHERE sq.backup_id = ?
                """, arguments: [id]) {
                let key: [String] = [(row["vhost"] as String?) ?? "dir:" + (row["vdir"] as String), (row["name"] as String?) ?? "dir:" + (row["dir_name"] as String)]
                // A priority queue's levels are one queue: their figures add up.
                let level = (row["priority"] as Int?).map { _ in (row["file_count"] as Int, row["bytes"] as Int64, row["messages"] as Int?) }
                if let level, let seen = result[key] {
                    result[key] = (seen.0, seen.1, seen.2 + level.0, seen.3 + level.1, seen.4.flatMap { a in level.2.map { a + $0 } })
                    continue
                }
                result[key] = (row["vhost"], row["name"], row["file_count"], row["bytes"], row["messages"])
            }
            return result
        }
        let before = try load(from), after = try load(to)
        let keys = Set(before.keys).union(after.keys).sorted { $0.lexicographicallyPrecedes($1) }
        return keys.map { key in
            let a = before[key], b = after[key]
            let same = a != nil && b != nil && a!.files == b!.files && a!.bytes == b!.bytes && a!.messages == b!.messages
            let status = a == nil ? "added" : b == nil ? "removed" : (same ? "unchanged" : "changed")
            return BackupDiff.StoredQueue(
                vhost: (a ?? b)!.vhost, name: (a ?? b)!.name, status: status, filesBefore: a?.files ?? 0, filesAfter: b?.files ?? 0,
                bytesBefore: a?.bytes ?? 0, bytesAfter: b?.bytes ?? 0, messagesBefore: a?.messages, messagesAfter: b?.messages)
        }
    }
}
