import Foundation
import GRDB

/// Writes a backup's catalog rows from its ``BackupManifest``: the one place that inserts
/// a complete backup, used by ingest (``BackupWriter``), `warren catalog rebuild` and
/// `warren check`'s import of a manifest whose catalog transaction never ran.
enum ManifestRecorder {
    /// Records `manifest` as complete inside the caller's transaction. The `backup` row is
    /// created when missing (rebuild) or completed when it is there (`in_progress`, or
    /// `failed` by an interrupted writer's check).
    static func record(_ manifest: BackupManifest, in db: Database) throws {
        var known = Set<DigestKey>()
        try record(manifest, in: db, knownObjects: &known)
    }

    /// As ``record(_:in:)``; `knownObjects` holds the objects this caller's earlier calls
    /// recorded in the same catalog, whose `object` rows are not written again (a rebuild
    /// records the same few thousand objects for every one of 10,000 backups).
    static func record(_ manifest: BackupManifest, in db: Database, knownObjects: inout Set<DigestKey>) throws {
        let h = manifest.backup
        let id = h.id
        try BackupRows.insertIfMissing(h, in: db)

        // The object and file rows go in through SQLite's C API (``SQLiteInsert``): a rebuild
        // writes them by the million.
        let objectInsert = try SQLiteInsert(db, sql: "INSERT OR IGNORE INTO object (sha256, size, stored_at) VALUES (?, ?, ?)")
        func insertObject(_ sha: DigestKey, size: Int64) throws {
            try sha.withBytes { try objectInsert.bind(1, blob: $0) }
            try objectInsert.bind(2, size)
            try objectInsert.bind(3, h.completedAt)
            try objectInsert.step()
        }
        let definitions = try key(manifest.definitions.sha256)
        if knownObjects.insert(definitions).inserted { try insertObject(definitions, size: manifest.definitions.size) }
        // Each file's id, converted once (the object row and the file row both take it).
        let fileIDs = try manifest.files.map { try key($0.sha256) }
        for (file, sha) in zip(manifest.files, fileIDs) where knownObjects.insert(sha).inserted {
            try insertObject(sha, size: file.size)
        }

        try recordInventory(manifest.inventory, backupID: id, in: db)
        let countInsert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO expected_count (backup_id, vhost, queue, type, messages) VALUES (?, ?, ?, ?, ?)
            """)
        for queue in manifest.expectedCounts {
            try countInsert.execute(arguments: [id, queue.vhost, queue.queue, queue.type, queue.messages])
        }

        if let survey = manifest.brokerSurvey { try BrokerSurveyRecorder.record(survey, backupID: id, at: h.completedAt, in: db) }

        var vhostIDs: [String: Int64] = [:]
        let vhostInsert = try db.cachedStatement(sql: """
            INSERT INTO store_vhost (backup_id, dir_name, vhost, dir_matches_name, segment_entry_count) VALUES (?, ?, ?, ?, ?)
            """)
        for vhost in manifest.storedVhosts {
            try vhostInsert.execute(arguments: [id, vhost.dirName, vhost.vhost, vhost.dirMatchesName, vhost.segmentEntryCount])
            vhostIDs[vhost.dirName] = db.lastInsertedRowID
        }
        var queueIDs: [String: [String: Int64]] = [:]  // vhost dir → queue dir → row id
        let queueInsert = try db.cachedStatement(sql: """
            INSERT INTO store_queue (backup_id, store_vhost_id, dir_name, vhost, name, index_version, dir_matches_name, file_count,
                                     bytes, priority)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let queueCountInsert = try db.cachedStatement(sql: """
            INSERT INTO queue_count (store_queue_id, backup_id, index_version, messages, payload_bytes, embedded_in_index,
                                     in_shared_store, in_queue_store, dropped_at_recovery, oldest_seq_id, newest_seq_id,
                                     qs_segments, warnings, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for queue in manifest.storedQueues {
            try queueInsert.execute(arguments: [
                id, vhostIDs[queue.vhostDir], queue.dirName, queue.vhost, queue.name, queue.indexVersion,
                queue.dirMatchesName, queue.fileCount, queue.bytes, queue.priority,
            ])
            let queueID = db.lastInsertedRowID
            queueIDs[queue.vhostDir, default: [:]][queue.dirName] = queueID
            let c = queue.count
            try queueCountInsert.execute(arguments: [
                queueID, id, c.indexVersion, c.messages, c.payloadBytes, c.embeddedInIndex, c.inSharedStore, c.inQueueStore,
                c.droppedAtRecovery, c.oldestSeqID, c.newestSeqID, c.qsSegments, c.warnings, c.error,
            ])
        }

        let fileInsert = try SQLiteInsert(db, sql: """
            INSERT INTO manifest_file (backup_id, path, size, sha256, kind, store_vhost_id, store_queue_id, mtime_ns, ctime_ns, inode)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (file, sha) in zip(manifest.files, fileIDs) {
            try fileInsert.bind(1, id)
            try fileInsert.bind(2, file.path)
            try fileInsert.bind(3, file.size)
            try sha.withBytes { try fileInsert.bind(4, blob: $0) }
            try fileInsert.bind(5, file.kind.rawValue)
            try fileInsert.bind(6, file.vhostDir.flatMap { vhostIDs[$0] })
            try fileInsert.bind(7, file.queueDir.flatMap { queueIDs[file.vhostDir ?? ""]?[$0] })
            try fileInsert.bind(8, file.mtimeNs)
            try fileInsert.bind(9, file.ctimeNs)
            try fileInsert.bind(10, file.inode)
            try fileInsert.step()
        }

        try BackupRows.markComplete(manifest, in: db)
    }

    private static func recordInventory(_ inventory: BackupManifest.Inventory, backupID id: Int64, in db: Database) throws {
        let vhost = try db.cachedStatement(sql: "INSERT OR IGNORE INTO def_vhost (backup_id, name, default_queue_type) VALUES (?, ?, ?)")
        for v in inventory.vhosts { try vhost.execute(arguments: [id, v.name, v.defaultQueueType]) }
        let queue = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO def_queue (backup_id, vhost, name, type, durable, auto_delete, arguments) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for q in inventory.queues {
            try queue.execute(arguments: [id, q.vhost, q.name, q.type, q.durable, q.autoDelete, q.arguments])
        }
        let exchange = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO def_exchange (backup_id, vhost, name, type, durable, auto_delete, internal, arguments)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for e in inventory.exchanges {
            try exchange.execute(arguments: [id, e.vhost, e.name, e.type, e.durable, e.autoDelete, e.internal, e.arguments])
        }
        let binding = try db.cachedStatement(sql: """
            INSERT INTO def_binding (backup_id, vhost, source, destination, destination_type, routing_key, arguments)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for b in inventory.bindings {
            try binding.execute(arguments: [id, b.vhost, b.source, b.destination, b.destinationType, b.routingKey, b.arguments])
        }
        let policy = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO def_policy (backup_id, vhost, name, pattern, apply_to, priority, definition) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for p in inventory.policies {
            try policy.execute(arguments: [id, p.vhost, p.name, p.pattern, p.applyTo, p.priority, p.definition])
        }
    }

    static func key(_ hex: String) throws -> DigestKey {
        guard let key = DigestKey(hex: hex) else {
            throw WarrenError.catalog(detail: "manifest names an invalid object id '\(hex)'")
        }
        return key
    }
}
