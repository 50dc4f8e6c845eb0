import Foundation
import GRDB

/// Builds the ``BackupManifest`` of a backup being ingested, from what was scanned, stored
/// and counted. Runs under the repository's write lock, so the `object` table it reads to
/// tell which objects this backup adds first cannot change before the catalog commit.
struct ManifestBuilder {
    var id: Int64
    var createdAt: String
    var source: IngestSource
    var scan: StoreScan
    var ingested: [IngestedFile]
    var counts: [QueueCounter.Counted]
    var definitionsObject: ObjectStore.Stored

    func build(completedAt: String, in db: Database) throws -> BackupManifest {
        let stored = ingested.map(\.stored)
        var seen = Set<ObjectID>()
        var addedObjects = 0
        var addedBytes: Int64 = 0
        let exists = try db.makeStatement(sql: "SELECT 1 FROM object WHERE sha256 = ?")
        for object in [definitionsObject] + stored where seen.insert(object.id).inserted {
            if try Int.fetchOne(exists, arguments: [object.id.data]) == nil {
                addedObjects += 1
                addedBytes += object.size
            }
        }
        let d = source.definitions
        let header = BackupManifest.Header(
            id: id, node: source.node, label: source.label, takenAt: Timestamp.format(source.takenAt), createdAt: createdAt,
            completedAt: completedAt, source: source.origin, sourcePath: source.sourcePath,
            consistent: source.consistent, brokerVersion: d.brokerVersion, userCount: d.users.count,
            usersWithPassword: d.users.filter(\.hasPasswordHash).count, permissionCount: d.permissionCount,
            addedObjects: addedObjects, addedBytes: addedBytes, parentID: source.parent?.backupID,
            bytesRead: ingested.filter(\.read).reduce(Int64(0)) { $0 + $1.stored.size },
            filesReused: ingested.filter { !$0.read }.count)

        let vhostDirs = Set(scan.vhosts.map(\.dirName))
        let queueKeys = Set(scan.queues.map { $0.vhostDir + "/" + $0.dirName })
        var expected: [String: BackupManifest.ExpectedCount] = [:]
        for q in source.expectedCounts {   // INSERT OR REPLACE: the last one wins
            expected[q.vhost + "\u{0}" + q.name] = .init(vhost: q.vhost, queue: q.name, type: q.type, messages: Int64(q.messages))
        }
        return BackupManifest(
            backup: header,
            definitions: .init(sha256: definitionsObject.id.hex, size: definitionsObject.size),
            inventory: .init(d),
            storedVhosts: scan.vhosts.map {
                .init(dirName: $0.dirName, vhost: $0.name, dirMatchesName: $0.dirMatchesName, segmentEntryCount: $0.segmentEntryCount)
            },
            storedQueues: zip(scan.queues, counts).map { queue, counted in
                .init(vhostDir: queue.vhostDir, dirName: queue.dirName, vhost: queue.vhost, name: queue.name,
                      indexVersion: queue.indexVersion, dirMatchesName: queue.dirMatchesName, fileCount: queue.fileCount,
                      bytes: queue.bytes, priority: queue.priority, count: Self.count(counted))
            },
            files: zip(scan.files, stored).map { file, object in
                let vhostDir = file.vhostDir.flatMap { vhostDirs.contains($0) ? $0 : nil }
                let queueDir = file.queueDir.flatMap { queueKeys.contains((file.vhostDir ?? "") + "/" + $0) ? $0 : nil }
                return .init(path: file.relativePath, size: object.size, sha256: object.id.hex, kind: file.kind,
                             vhostDir: vhostDir, queueDir: queueDir, mtimeNs: file.mtimeNs, ctimeNs: file.ctimeNs,
                             inode: Int64(bitPattern: file.inode))
            },
            expectedCounts: Array(expected.values),
            brokerSurvey: source.survey
        ).normalized()
    }

    private static func count(_ counted: QueueCounter.Counted) -> BackupManifest.QueueCount {
        let c = counted.count
        return .init(
            indexVersion: c?.indexVersion, messages: c?.messages, payloadBytes: c?.payloadBytes,
            embeddedInIndex: c?.embeddedInIndex, inSharedStore: c?.inSharedStore, inQueueStore: c?.inQueueStore,
            droppedAtRecovery: c?.droppedAtRecovery, oldestSeqID: c?.oldestSeqID, newestSeqID: c?.newestSeqID,
            qsSegments: JSONValue.array((c?.referencedQueueStoreSegments ?? []).map { .integer($0) }).canonicalJSON,
            warnings: JSONValue.array((c?.warnings ?? []).map { .string("\($0)") }).canonicalJSON,
            error: counted.error)
    }
}
