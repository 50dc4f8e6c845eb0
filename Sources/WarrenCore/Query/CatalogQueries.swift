import Foundation
import GRDB

/// Read-only views of the catalog (`list`, `show`). Each call reads one consistent snapshot
/// and never blocks, nor is blocked by, a writer.
public struct CatalogQueries: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// Backups, newest first (by taken_at, then id).
    public func list(node: String? = nil, limit: Int? = nil) throws -> [BackupSummary] {
        try CatalogAccess.read(catalog) { db in
            var sql = "SELECT * FROM backup"
            var arguments: StatementArguments = []
            if let node {
                sql += " WHERE node = ?"
                arguments += [node]
            }
            sql += " ORDER BY taken_at DESC, id DESC"
            if let limit {
                sql += " LIMIT ?"
                arguments += [limit]
            }
            return try BackupSummary.fetchAll(db, sql: sql, arguments: arguments)
        }
    }

    public func summary(id: Int64) throws -> BackupSummary {
        try CatalogAccess.read(catalog) { db in try Self.summary(db, id: id) }
    }

    static func summary(_ db: Database, id: Int64) throws -> BackupSummary {
        guard let summary = try BackupSummary.fetchOne(db, sql: "SELECT * FROM backup WHERE id = ?", arguments: [id]) else {
            throw try DeletedBackups.notFound(id, in: db)
        }
        return summary
    }

    public func detail(id: Int64) throws -> BackupDetail {
        try CatalogAccess.read(catalog) { db in
            let summary = try Self.summary(db, id: id)
            return BackupDetail(backup: summary, vhosts: try Self.vhosts(db, id: id), queues: try Self.queues(db, id: id))
        }
    }

    private static func vhosts(_ db: Database, id: Int64) throws -> [BackupDetail.VHost] {
        var result: [BackupDetail.VHost] = []
        var byName: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT v.name, (SELECT COUNT(*) FROM def_queue q WHERE q.backup_id = v.backup_id AND q.vhost = v.name) AS queues
            FROM def_vhost v WHERE v.backup_id = ? ORDER BY v.name
            """, arguments: [id]) {
            let name: String = row["name"]
            byName[name] = result.count
            result.append(.init(
                name: name, defined: true, stored: false, dirName: nil, dirMatchesName: nil,
                definedQueueCount: row["queues"], storedQueueCount: 0, fileCount: 0, bytes: 0, problem: nil))
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT sv.dir_name, sv.vhost, sv.dir_matches_name,
                   (SELECT COUNT(*) FROM store_queue sq WHERE sq.store_vhost_id = sv.id) AS queues,
                   COUNT(mf.path) AS files, COALESCE(SUM(mf.size), 0) AS bytes
            FROM store_vhost sv LEFT JOIN manifest_file mf ON mf.backup_id = sv.backup_id AND mf.store_vhost_id = sv.id
            WHERE sv.backup_id = ? GROUP BY sv.id ORDER BY sv.vhost, sv.dir_name
            """, arguments: [id]) {
            let name: String? = row["vhost"]
            var entry: BackupDetail.VHost
            if let name, let index = byName[name] {
                entry = result[index]
            } else {
                entry = .init(
                    name: name, defined: false, stored: true, definedQueueCount: 0, storedQueueCount: 0, fileCount: 0, bytes: 0)
            }
            entry.stored = true
            entry.dirName = row["dir_name"]
            entry.dirMatchesName = row["dir_matches_name"]
            entry.storedQueueCount = row["queues"]
            entry.fileCount = row["files"]
            entry.bytes = row["bytes"]
            if name == nil {
                entry.problem = "no_vhost_file"
            } else if !entry.defined {
                entry.problem = "no_definition"
            } else if entry.dirMatchesName == false {
                entry.problem = "dir_name_mismatch"
            }
            if let name, let index = byName[name] { result[index] = entry } else { result.append(entry) }
        }
        return result
    }

    private static func queues(_ db: Database, id: Int64) throws -> [BackupDetail.Queue] {
        var result: [BackupDetail.Queue] = []
        var byKey: [[String]: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT vhost, name, type, durable, auto_delete, arguments FROM def_queue WHERE backup_id = ? ORDER BY vhost, name
            """, arguments: [id]) {
            let vhost: String = row["vhost"], name: String = row["name"]
            byKey[[vhost, name]] = result.count
            let arguments = (row["arguments"] as String?).flatMap {
                try? JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8))
            }
            result.append(.init(
                vhost: vhost, name: name, defined: true, type: row["type"], durable: row["durable"],
                autoDelete: row["auto_delete"], arguments: arguments, hasData: false, fileCount: 0, bytes: 0))
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT sq.vhost, sq.name, sq.priority, sq.dir_name, sq.dir_matches_name, sq.index_version, sq.file_count, sq.bytes,
                   (SELECT COUNT(*) FROM manifest_file mf WHERE mf.backup_id = sq.backup_id AND mf.store_queue_id = sq.id
                       AND mf.kind IN ('idx', 'journal', 'qi', 'qs')) AS data_files,
                   qc.messages, qc.payload_bytes, qc.embedded_in_index, qc.in_shared_store, qc.in_queue_store,
                   qc.oldest_seq_id, qc.newest_seq_id, qc.error
            FROM store_queue sq LEFT JOIN queue_count qc ON qc.store_queue_id = sq.id
            WHERE sq.backup_id = ? ORDER BY sq.vhost, sq.name, sq.dir_name
            """, arguments: [id]) {
            let vhost: String? = row["vhost"], name: String? = row["name"]
            let key = vhost.flatMap { v in name.map { [v, $0] } }
            var entry: BackupDetail.Queue
            if let key, let index = byKey[key] {
                entry = result[index]
            } else {
                entry = .init(vhost: vhost, name: name, defined: false, hasData: false, fileCount: 0, bytes: 0)
            }
            if let priority = row["priority"] as Int? {
                entry = Self.adding(level: priority, row: row, to: entry)
                if let key, let index = byKey[key] { result[index] = entry } else {
                    if let key { byKey[key] = result.count }
                    result.append(entry)
                }
                continue
            }
            entry.dirName = row["dir_name"]
            entry.dirMatchesName = row["dir_matches_name"]
            entry.indexVersion = row["index_version"]
            entry.fileCount = row["file_count"]
            entry.bytes = row["bytes"]
            entry.hasData = (row["data_files"] as Int) > 0
            entry.messages = row["messages"]
            entry.payloadBytes = row["payload_bytes"]
            entry.embeddedInIndex = row["embedded_in_index"]
            entry.inSharedStore = row["in_shared_store"]
            entry.inQueueStore = row["in_queue_store"]
            entry.oldestSeqId = row["oldest_seq_id"]
            entry.newestSeqId = row["newest_seq_id"]
            entry.indexError = row["error"]
            if key == nil {
                entry.problem = "no_queue_name_file"
            } else if !entry.defined {
                entry.problem = "no_definition"
            } else if entry.dirMatchesName == false {
                entry.problem = "dir_name_mismatch"
            }
            if let key, let index = byKey[key] { result[index] = entry } else { result.append(entry) }
        }
        return result
    }

    /// Folds one stored priority level into its queue: files, bytes and counts add up, and
    /// the level is listed (highest first, the order a consumer gets them).
    private static func adding(level priority: Int, row: Row, to queue: BackupDetail.Queue) -> BackupDetail.Queue {
        var entry = queue
        let level = PriorityLevel(
            priority: priority, dirName: row["dir_name"], dirMatchesName: row["dir_matches_name"], indexVersion: row["index_version"],
            fileCount: row["file_count"], bytes: row["bytes"], messages: row["messages"], payloadBytes: row["payload_bytes"],
            indexError: row["error"])
        let first = entry.priorityLevels == nil
        entry.priorityLevels = ((entry.priorityLevels ?? []) + [level]).sorted { $0.priority > $1.priority }
        entry.indexVersion = level.indexVersion
        entry.fileCount += level.fileCount
        entry.bytes += level.bytes
        entry.hasData = entry.hasData || (row["data_files"] as Int) > 0
        entry.messages = first ? level.messages : entry.messages.flatMap { a in level.messages.map { a + $0 } }
        entry.payloadBytes = first ? level.payloadBytes : entry.payloadBytes.flatMap { a in level.payloadBytes.map { a + $0 } }
        entry.embeddedInIndex = Self.sum(first, entry.embeddedInIndex, row["embedded_in_index"])
        entry.inSharedStore = Self.sum(first, entry.inSharedStore, row["in_shared_store"])
        entry.inQueueStore = Self.sum(first, entry.inQueueStore, row["in_queue_store"])
        entry.indexError = entry.indexError ?? level.indexError.map { "priority level \(priority): \($0)" }
        if !entry.defined {
            entry.problem = "no_definition"
        } else if !level.dirMatchesName {
            entry.problem = "dir_name_mismatch"
        }
        return entry
    }

    private static func sum(_ first: Bool, _ a: Int?, _ b: Int?) -> Int? {
        first ? b : a.flatMap { x in b.map { x + $0 } }
    }
}
