import GRDB

/// Writes the offline counts of a backup's queues, and their totals on the backup row.
enum QueueCountRecorder {
    static func record(_ counts: [QueueCounter.Counted], queues: [StoreScan.Queue], queueIDs: [String: Int64],
                       backupID: Int64, in db: Database) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO queue_count (store_queue_id, backup_id, index_version, messages, payload_bytes, embedded_in_index,
                                     in_shared_store, in_queue_store, dropped_at_recovery, oldest_seq_id, newest_seq_id,
                                     qs_segments, warnings, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var total: Int? = 0
        var bytes: Int64? = 0
        for (queue, counted) in zip(queues, counts) {
            guard let queueID = queueIDs[queue.vhostDir + "/" + queue.dirName] else { continue }
            let c = counted.count
            let segments = JSONValue.array((c?.referencedQueueStoreSegments ?? []).map { .integer($0) }).canonicalJSON
            let warnings = JSONValue.array((c?.warnings ?? []).map { .string("\($0)") }).canonicalJSON
            try insert.execute(arguments: [
                queueID, backupID, c?.indexVersion, c?.messages, c?.payloadBytes, c?.embeddedInIndex, c?.inSharedStore,
                c?.inQueueStore, c?.droppedAtRecovery, c?.oldestSeqID, c?.newestSeqID, segments, warnings, counted.error,
            ])
            if let c {
                total = total.map { $0 + c.messages }
                bytes = bytes.map { $0 + c.payloadBytes }
            } else {
                total = nil
                bytes = nil
            }
        }
        try db.execute(sql: "UPDATE backup SET message_count = ?, message_bytes = ? WHERE id = ?", arguments: [total, bytes, backupID])
    }
}
