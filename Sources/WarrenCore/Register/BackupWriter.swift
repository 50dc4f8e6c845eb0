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
    /// Given how long each phase took, once the backup is complete.
    var reportTimings: (@Sendable (RegisterTimings) -> Void)?

    func write(_ source: IngestSource, progress: ProgressHandler?) throws -> Int64 {
        var timings = RegisterTimings()
        let scan = try timings.measure(.scan) {
            let scan = try MsgStoreScanner(includeTransient: source.includeTransient).scan(root: source.msgStoresPath)
            try Posix.mkdirIfMissing(repository.objects.tempPath, mode: repository.access.directoryMode)
            repository.objects.removeStaleTemporaries()
            return scan
        }

        let createdAt = Timestamp.format(Date())
        let id = try timings.measure(.catalogCommit) { try repository.catalog.beginBackup(source, createdAt: createdAt) }
        var manifestWritten = false
        let written = NewObjectLog()
        do {
            let (definitionsObject, stored) = try timings.measure(.storeObjects) { try store(source, scan: scan, written: written, progress: progress) }
            try timings.measure(.sync) { try repository.objects.syncNewObjects() }
            let counts = try timings.measure(.countMessages) {
                countMessages
                    ? try QueueCounter(objects: repository.objects).count(scan: scan, stored: stored.map(\.stored))
                    : scan.queues.map { _ in QueueCounter.Counted(count: nil, error: "not counted (index counting was switched off)") }
            }
            let builder = ManifestBuilder(
                id: id, createdAt: createdAt, source: source, scan: scan, ingested: stored, counts: counts,
                definitionsObject: definitionsObject)
            // The manifest is durable before the catalog says "complete": a complete backup
            // always has one (issue 17 §1).
            let manifest = try timings.measure(.manifestWrite) {
                let manifest = try CatalogAccess.read(repository.catalog) { try builder.build(completedAt: Timestamp.format(Date()), in: $0) }
                // A shared bucket lock lost (its lease ran out while the server was away, and
                // another host's gc went ahead) no longer protects the objects found stored.
                try repository.heldBucketLock.ensureHeld()
                try repository.manifests.write(manifest)
                return manifest
            }
            manifestWritten = true
            // What the broker held before stop_app (issue 16 §2) is in the manifest, so
            // ManifestRecorder records it, and a rebuilt catalog has it too.
            try timings.measure(.catalogCommit) { try repository.catalog.completeBackup(manifest) }
            reportTimings?(timings)
            return id
        } catch {
            // A manifest whose backup the catalog marks failed would come back in a rebuild.
            // Only a backup this call marked failed gives its new objects back: a row that is
            // no longer in progress (completed after all) may reference them.
            if markFailed(id: id, error: error) {
                if manifestWritten { try? repository.manifests.remove(id) }
                // In a bucket the lock is this host's only: a writer on another host may
                // already reference an object this one uploaded, so they stay (orphans for
                // the gc to come, with its safety window).
                if repository.objects.isLocal { written.removeAll(from: repository.objects) }
            }
            repository.objects.removeStaleTemporaries()
            throw error
        }
    }

    /// Stores the definitions and every file (reusing the parent's unchanged ones); returns
    /// the definitions object and each file's outcome, in `scan.files` order.
    private func store(_ source: IngestSource, scan: StoreScan, written: NewObjectLog,
                       progress: ProgressHandler?) throws -> (ObjectStore.Stored, [IngestedFile]) {
        let definitionsObject = try source.definitionsBytes.withUnsafeBytes { try repository.objects.store($0) }
        written.add(definitionsObject)
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
            written.add(result)
            tracker.add(files: 1)
            return IngestedFile(stored: result, read: true)
        }
        return (definitionsObject, stored)
    }

    /// True when the row was marked failed (it was still in progress).
    private func markFailed(id: Int64, error: Error) -> Bool {
        (try? repository.catalog.markFailed(id: id, failure: "\(error)")) ?? false
    }
}
