import Foundation

/// Counts each stored queue's messages from its index files, read back from the objects
/// just stored (so the counts describe exactly what the manifest holds, even for a copy of
/// a running node whose files kept changing).
struct QueueCounter {
    struct Counted: Sendable {
        var count: QueueIndexCount?
        var error: String?
    }

    let objects: ObjectStore

    /// One result per `scan.queues` element, in order.
    func count(scan: StoreScan, stored: [ObjectStore.Stored]) throws -> [Counted] {
        var filesByQueue: [String: [(name: String, id: ObjectID, size: Int64)]] = [:]
        for (file, object) in zip(scan.files, stored) where [.idx, .journal, .qi].contains(file.kind) {
            guard let vdir = file.vhostDir, let qdir = file.queueDir else { continue }
            let name = String(file.relativePath.split(separator: "/").last!)
            filesByQueue[vdir + "/" + qdir, default: []].append((name, object.id, object.size))
        }
        let segmentCounts = Dictionary(uniqueKeysWithValues: scan.vhosts.map { ($0.dirName, $0.segmentEntryCount) })
        let objects = self.objects
        let work = scan.queues.map { queue in
            (files: filesByQueue[queue.vhostDir + "/" + queue.dirName] ?? [],
             segmentEntryCount: segmentCounts[queue.vhostDir].flatMap { $0 } ?? ClassicQueueIndexV1Parser.defaultSegmentEntryCount)
        }
        return try Parallel.map(work, makeState: { () }) { item, _ -> Counted in
            var contents: [String: [UInt8]] = [:]
            for file in item.files {
                guard file.size <= QueueIndexReader.maxFileSize else {
                    return Counted(count: nil, error: "\(file.name): \(file.size) bytes, larger than any index the broker writes")
                }
                contents[file.name] = try objects.readAll(file.id, limit: Int(QueueIndexReader.maxFileSize))
            }
            do {
                return Counted(count: try QueueIndexReader.count(files: contents, segmentEntryCount: item.segmentEntryCount), error: nil)
            } catch {
                return Counted(count: nil, error: "\(error)")
            }
        }
    }
}
