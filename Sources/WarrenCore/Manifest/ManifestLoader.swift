import Foundation
import GRDB

/// Reads a complete backup's catalog rows back into a ``BackupManifest``: what `warren
/// check` compares with the stored manifest, and what `warren catalog upgrade` writes for
/// backups made before manifests existed.
enum ManifestLoader {
    /// The manifest of complete backup `id`, or nil when the catalog has no complete backup
    /// with that id.
    static func load(id: Int64, in db: Database) throws -> BackupManifest? {
        // The leftmost `completed_at` is the one a record reads: a row completed without one
        // (by an early release) takes its creation time.
        guard let b = try Row.fetchOne(db, sql: """
            SELECT COALESCE(completed_at, created_at) AS completed_at, * FROM backup WHERE id = ? AND state = ?
            """, arguments: [id, BackupState.complete]) else {
            return nil
        }
        let header = try BackupManifest.Header(row: b)
        let definitions = BackupManifest.ObjectReference(
            sha256: hex(b["definitions_sha256"]), size: b["definitions_size"] ?? 0)

        let inventory = BackupManifest.Inventory(
            vhosts: try Row.fetchAll(db, sql: "SELECT * FROM def_vhost WHERE backup_id = ?", arguments: [id]).map {
                .init(name: $0["name"], defaultQueueType: $0["default_queue_type"])
            },
            queues: try Row.fetchAll(db, sql: "SELECT * FROM def_queue WHERE backup_id = ?", arguments: [id]).map {
                .init(vhost: $0["vhost"], name: $0["name"], type: $0["type"], durable: $0["durable"],
                      autoDelete: $0["auto_delete"], arguments: $0["arguments"])
            },
            exchanges: try Row.fetchAll(db, sql: "SELECT * FROM def_exchange WHERE backup_id = ?", arguments: [id]).map {
                .init(vhost: $0["vhost"], name: $0["name"], type: $0["type"], durable: $0["durable"],
                      autoDelete: $0["auto_delete"], internal: $0["internal"], arguments: $0["arguments"])
            },
            bindings: try Row.fetchAll(db, sql: "SELECT * FROM def_binding WHERE backup_id = ? ORDER BY rowid", arguments: [id]).map {
                .init(vhost: $0["vhost"], source: $0["source"], destination: $0["destination"],
                      destinationType: $0["destination_type"], routingKey: $0["routing_key"], arguments: $0["arguments"])
            },
            policies: try Row.fetchAll(db, sql: "SELECT * FROM def_policy WHERE backup_id = ?", arguments: [id]).map {
                .init(vhost: $0["vhost"], name: $0["name"], pattern: $0["pattern"], applyTo: $0["apply_to"],
                      priority: $0["priority"], definition: $0["definition"])
            })

        var vhostDirs: [Int64: String] = [:]
        let vhosts = try Row.fetchAll(db, sql: "SELECT * FROM store_vhost WHERE backup_id = ?", arguments: [id]).map { row in
            vhostDirs[row["id"]] = row["dir_name"]
            return BackupManifest.StoredVHost(
                dirName: row["dir_name"], vhost: row["vhost"], dirMatchesName: row["dir_matches_name"],
                segmentEntryCount: row["segment_entry_count"])
        }
        var queueDirs: [Int64: String] = [:]
        let queues = try Row.fetchAll(db, sql: """
            SELECT q.*, c.store_queue_id AS counted, c.index_version AS c_index_version, c.messages, c.payload_bytes,
                   c.embedded_in_index, c.in_shared_store, c.in_queue_store, c.dropped_at_recovery, c.oldest_seq_id,
                   c.newest_seq_id, c.qs_segments, c.warnings, c.error
            FROM store_queue q LEFT JOIN queue_count c ON c.store_queue_id = q.id WHERE q.backup_id = ?
            """, arguments: [id]).map { row in
            queueDirs[row["id"]] = row["dir_name"]
            return BackupManifest.StoredQueue(
                vhostDir: vhostDirs[row["store_vhost_id"]] ?? "", dirName: row["dir_name"], vhost: row["vhost"],
                name: row["name"], indexVersion: row["index_version"], dirMatchesName: row["dir_matches_name"],
                fileCount: row["file_count"], bytes: row["bytes"], priority: row["priority"],
                count: .init(
                    indexVersion: row["c_index_version"], messages: row["messages"], payloadBytes: row["payload_bytes"],
                    embeddedInIndex: row["embedded_in_index"], inSharedStore: row["in_shared_store"],
                    inQueueStore: row["in_queue_store"], droppedAtRecovery: row["dropped_at_recovery"],
                    oldestSeqID: row["oldest_seq_id"], newestSeqID: row["newest_seq_id"],
                    qsSegments: row["qs_segments"] ?? "[]", warnings: row["warnings"] ?? "[]",
                    error: (row["counted"] as Int64?) == nil ? "not counted (recorded before offline counting)" : row["error"]))
        }
        let files = try Row.fetchAll(db, sql: "SELECT * FROM manifest_file WHERE backup_id = ?", arguments: [id]).map { row in
            BackupManifest.File(
                path: row["path"], size: row["size"], sha256: hex(row["sha256"]), kind: FileKind(rawValue: row["kind"]) ?? .other,
                vhostDir: (row["store_vhost_id"] as Int64?).flatMap { vhostDirs[$0] },
                queueDir: (row["store_queue_id"] as Int64?).flatMap { queueDirs[$0] },
                mtimeNs: row["mtime_ns"], ctimeNs: row["ctime_ns"], inode: row["inode"])
        }
        let expected = try Row.fetchAll(db, sql: "SELECT * FROM expected_count WHERE backup_id = ?", arguments: [id]).map {
            BackupManifest.ExpectedCount(vhost: $0["vhost"], queue: $0["queue"], type: $0["type"], messages: $0["messages"])
        }
        return BackupManifest(
            backup: header, definitions: definitions, inventory: inventory, storedVhosts: vhosts, storedQueues: queues,
            files: files, expectedCounts: expected, brokerSurvey: try BrokerSurveyRecorder.load(backupID: id, in: db)
        ).normalized()
    }

    private static func hex(_ data: Data?) -> String {
        data.flatMap { ObjectID(bytes: [UInt8]($0)) }?.hex ?? String(repeating: "0", count: 64)
    }
}
