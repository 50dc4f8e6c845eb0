import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// Deletes the files of the objects queued in `object_deletion`, then their queue rows.
///
/// The queue is filled in the same transaction that removes an object's last reference and
/// its `object` row, so after a crash at any point the next ``finishPending()`` completes
/// the work. Before a file is unlinked its object is checked again, in the catalog, to be
/// referenced by nothing and to have no `object` row (a writer after a crash may have
/// stored the same content again): a queued object that is in use again is only dequeued.
///
/// The caller must hold the repository's write lock.
struct ObjectReaper {
    let repository: Repository

    /// Objects and bytes actually removed from disk.
    func finishPending() throws -> FreedSpace {
        let queued: [(id: ObjectID, deletable: Bool)] = try CatalogAccess.read(repository.catalog) { db in
            let probe = ReferenceProbe(db: db)
            return try Data.fetchAll(db, sql: "SELECT sha256 FROM object_deletion ORDER BY sha256").compactMap { data in
                guard let id = ObjectID(bytes: Array(data)) else { return nil }
                return (id, try !probe.isReferenced(id) && probe.recordedSize(id) == nil)
            }
        }
        guard !queued.isEmpty else { return FreedSpace() }
        var freed = FreedSpace()
        for entry in queued where entry.deletable {
            guard repository.objects.isLocal else {
                // A bucket: HEAD for the size (a missing object is already gone), then DELETE.
                let store = repository.objects
                // Never delete once the bucket's lock was lost to another host.
                try repository.heldBucketLock.ensureHeld()
                guard let size = try S3Failure.wrapping({ try store.storage.head(store.name(of: entry.id)) }) else { continue }
                try S3Failure.wrapping { try store.storage.delete(store.name(of: entry.id)) }
                freed.objects += 1
                freed.bytes += size
                continue
            }
            let path = repository.objects.path(of: entry.id)
            guard let st = try Posix.lstatIfExists(path), st.isRegular else { continue }
            if unlink(path) != 0 && errno != ENOENT {
                throw WarrenError.io(path: path, operation: "unlink", errno: errno)
            }
            freed.objects += 1
            freed.bytes += st.size
        }
        // A packed bucket rewrites the indexes objects were taken out of (before the queue
        // rows go: a crash before it leaves them queued for the next gc).
        if !repository.objects.isLocal { try S3Failure.wrapping { try repository.objects.syncNewObjects() } }
        try CatalogAccess.write(repository.catalog) { db in
            let delete = try db.makeStatement(sql: "DELETE FROM object_deletion WHERE sha256 = ?")
            for entry in queued { try delete.execute(arguments: [entry.id.data]) }
        }
        return freed
    }

    /// How many deletions are queued (left by an interrupted prune or gc when nonzero
    /// outside one).
    static func pendingCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM object_deletion") ?? 0
    }
}
