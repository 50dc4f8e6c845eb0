import Foundation
import GRDB

/// Turns an ``IngestSource`` into a complete backup: scan, store every file's content once,
/// then record inventory, manifest and completion in one transaction. A failure marks the
/// backup failed; its already-stored objects stay as unreferenced garbage, never as a
/// partially recorded backup.
/// One file's outcome: its object, and whether it had to be read.
struct IngestedFile: Sendable {
    var stored: ObjectStore.Stored
    var read: Bool
}

struct BackupWriter {
    let repository: Repository
    /// Called before each file is stored; tests throw from it to simulate a failure mid-way.
    var beforeEachFile: (@Sendable (String) throws -> Void)?
    /// Read the queue index files for offline message counts (off only to measure its cost).
    var countMessages = true

    func write(_ source: IngestSource, progress: ProgressHandler?) throws -> Int64 {
        let scan = try MsgStoreScanner(includeTransient: source.includeTransient).scan(root: source.msgStoresPath)
        try Posix.mkdirIfMissing(repository.objects.tempPath, mode: 0o700)
        repository.objects.removeStaleTemporaries()

        let id = try insertInProgress(source)
        do {
            let definitionsObject = try source.definitionsBytes.withUnsafeBytes { try repository.objects.store($0) }
            let tracker = ProgressTracker(
                phase: "storing", bytesTotal: scan.totalBytes, filesTotal: scan.files.count, handler: progress)
            let objects = repository.objects
            let root = source.msgStoresPath
            let hook = beforeEachFile
            let parent = source.parent
            let stored = try Parallel.map(scan.files, makeState: { IngestBuffer() }) { file, buffer -> IngestedFile in
                try hook?(file.relativePath)
                if let reused = parent?.reusable(file), objects.contains(reused.id, size: reused.size) {
                    tracker.add(bytes: file.size, files: 1)
                    return IngestedFile(stored: reused, read: false)
                }
                let result = try objects.ingestFile(at: root + "/" + file.relativePath, buffer: buffer) {
                    tracker.add(bytes: $0)
                }
                tracker.add(files: 1)
                return IngestedFile(stored: result, read: true)
            }
            try repository.objects.syncNewObjects()
            let counts = countMessages
                ? try QueueCounter(objects: repository.objects).count(scan: scan, stored: stored.map(\.stored))
                : scan.queues.map { _ in QueueCounter.Counted(count: nil, error: "not counted (index counting was switched off)") }
            try record(id: id, source: source, scan: scan, stored: stored, counts: counts, definitionsObject: definitionsObject)
            return id
        } catch {
            markFailed(id: id, error: error)
            throw error
        }
    }

    private func insertInProgress(_ source: IngestSource) throws -> Int64 {
        try CatalogAccess.write(repository.catalog) { db in
            try db.execute(
                sql: """
                    INSERT INTO backup (node, label, taken_at, created_at, state, source, source_path, consistent)
                    VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?)
                    """,
                arguments: [source.node, source.label, Timestamp.format(source.takenAt), Timestamp.format(Date()),
                            source.origin, source.sourcePath, source.consistent])
            return db.lastInsertedRowID
        }
    }

    private func markFailed(id: Int64, error: Error) {
        _ = try? repository.catalog.pool.write { db in
            try db.execute(
                sql: "UPDATE backup SET state = 'failed', failure = ?, completed_at = ? WHERE id = ? AND state = 'in_progress'",
                arguments: ["\(error)", Timestamp.format(Date()), id])
        }
    }

    private func record(
        id: Int64, source: IngestSource, scan: StoreScan, stored ingested: [IngestedFile], counts: [QueueCounter.Counted],
        definitionsObject: ObjectStore.Stored
    ) throws {
        let stored = ingested.map(\.stored)
        try CatalogAccess.write(repository.catalog) { db in
            let now = Timestamp.format(Date())
            // Objects: a row per newly seen object; the backup that inserts it "added" it.
            var addedObjects = 0
            var addedBytes: Int64 = 0
            let objectInsert = try db.makeStatement(sql: "INSERT OR IGNORE INTO object (sha256, size, stored_at) VALUES (?, ?, ?)")
            for object in [definitionsObject] + stored {
                try objectInsert.execute(arguments: [object.id.data, object.size, now])
                if db.changesCount > 0 {
                    addedObjects += 1
                    addedBytes += object.size
                }
            }

            try DefinitionsRecorder.record(source.definitions, backupID: id, in: db)
            let countInsert = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO expected_count (backup_id, vhost, queue, type, messages) VALUES (?, ?, ?, ?, ?)
                """)
            for queue in source.expectedCounts {
                try countInsert.execute(arguments: [id, queue.vhost, queue.name, queue.type, queue.messages])
            }

            var vhostIDs: [String: Int64] = [:]
            let vhostInsert = try db.makeStatement(sql: """
                INSERT INTO store_vhost (backup_id, dir_name, vhost, dir_matches_name, segment_entry_count)
                VALUES (?, ?, ?, ?, ?)
                """)
            for vhost in scan.vhosts {
                try vhostInsert.execute(arguments: [id, vhost.dirName, vhost.name, vhost.dirMatchesName, vhost.segmentEntryCount])
                vhostIDs[vhost.dirName] = db.lastInsertedRowID
            }
            var queueIDs: [String: Int64] = [:]
            let queueInsert = try db.makeStatement(sql: """
                INSERT INTO store_queue (backup_id, store_vhost_id, dir_name, vhost, name, index_version,
                                         dir_matches_name, file_count, bytes, priority)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for queue in scan.queues {
                try queueInsert.execute(arguments: [
                    id, vhostIDs[queue.vhostDir], queue.dirName, queue.vhost, queue.name, queue.indexVersion,
                    queue.dirMatchesName, queue.fileCount, queue.bytes, queue.priority,
                ])
                queueIDs[queue.vhostDir + "/" + queue.dirName] = db.lastInsertedRowID
            }
            try QueueCountRecorder.record(counts, queues: scan.queues, queueIDs: queueIDs, backupID: id, in: db)

            let fileInsert = try db.makeStatement(sql: """
                INSERT INTO manifest_file (backup_id, path, size, sha256, kind, store_vhost_id, store_queue_id,
                                           mtime_ns, ctime_ns, inode)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var logicalBytes: Int64 = 0
            for (file, object) in zip(scan.files, stored) {
                let queueID = file.queueDir.flatMap { queueIDs[(file.vhostDir ?? "") + "/" + $0] }
                try fileInsert.execute(arguments: [
                    id, file.relativePath, object.size, object.id.data, file.kind.rawValue,
                    file.vhostDir.flatMap { vhostIDs[$0] }, queueID, file.mtimeNs, file.ctimeNs, Int64(bitPattern: file.inode),
                ])
                logicalBytes += object.size
            }

            let definitions = source.definitions
            try db.execute(
                sql: """
                    UPDATE backup SET
                        state = 'complete', completed_at = :now, broker_version = :version,
                        definitions_sha256 = :defs, definitions_size = :defsSize,
                        vhost_count = (SELECT COUNT(*) FROM def_vhost WHERE backup_id = :id),
                        queue_count = (SELECT COUNT(*) FROM def_queue WHERE backup_id = :id),
                        exchange_count = (SELECT COUNT(*) FROM def_exchange WHERE backup_id = :id),
                        binding_count = (SELECT COUNT(*) FROM def_binding WHERE backup_id = :id),
                        policy_count = (SELECT COUNT(*) FROM def_policy WHERE backup_id = :id),
                        user_count = :users, users_with_password = :usersWithPassword, permission_count = :permissions,
                        stored_vhost_count = :storedVhosts, stored_queue_count = :storedQueues,
                        file_count = :files, logical_bytes = :logical,
                        added_objects = :addedObjects, added_bytes = :addedBytes,
                        parent_id = :parent, bytes_read = :bytesRead, files_reused = :filesReused
                    WHERE id = :id
                    """,
                arguments: [
                    "id": id, "now": now, "version": definitions.brokerVersion,
                    "defs": definitionsObject.id.data, "defsSize": definitionsObject.size,
                    "users": definitions.users.count, "usersWithPassword": definitions.users.filter(\.hasPasswordHash).count,
                    "permissions": definitions.permissionCount, "storedVhosts": scan.vhosts.count,
                    "storedQueues": scan.queues.count, "files": scan.files.count, "logical": logicalBytes,
                    "addedObjects": addedObjects, "addedBytes": addedBytes, "parent": source.parent?.backupID,
                    "bytesRead": ingested.filter(\.read).reduce(Int64(0)) { $0 + $1.stored.size },
                    "filesReused": ingested.filter { !$0.read }.count,
                ])
        }
    }
}
