import Foundation
import GRDB

/// The manifest of a node's previous complete backup, by path, with the file metadata
/// recorded when it was read. A file whose size, mtime, ctime and inode all match is
/// taken from it without being read again (restic's rule).
struct ParentManifest: Sendable {
    struct Entry: Sendable {
        var size: Int64
        var mtimeNs: Int64
        var ctimeNs: Int64
        var inode: UInt64
        var object: ObjectID
    }

    var backupID: Int64
    var entries: [String: Entry]

    /// The newest complete backup of `node`, or nil when it has none.
    static func latest(node: String, in db: Database) throws -> ParentManifest? {
        guard let id = try Int64.fetchOne(db, sql: """
            SELECT id FROM backup WHERE node = ? AND state = 'complete' ORDER BY taken_at DESC, id DESC LIMIT 1
            """, arguments: [node]) else { return nil }
        var entries: [String: Entry] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT path, size, mtime_ns, ctime_ns, inode, sha256 FROM manifest_file
            WHERE backup_id = ? AND mtime_ns IS NOT NULL AND ctime_ns IS NOT NULL AND inode IS NOT NULL
            """, arguments: [id])
        while let row = try rows.next() {
            guard let object = ObjectID(bytes: Array(row["sha256"] as Data)) else { continue }
            entries[row["path"]] = Entry(
                size: row["size"], mtimeNs: row["mtime_ns"], ctimeNs: row["ctime_ns"],
                inode: UInt64(bitPattern: row["inode"] as Int64), object: object)
        }
        return ParentManifest(backupID: id, entries: entries)
    }

    /// The stored object for `file` if it is unchanged since the parent read it.
    func reusable(_ file: StoreScan.File) -> ObjectStore.Stored? {
        guard let entry = entries[file.relativePath], entry.size == file.size, entry.mtimeNs == file.mtimeNs,
              entry.ctimeNs == file.ctimeNs, entry.inode == file.inode else { return nil }
        return ObjectStore.Stored(id: entry.object, size: entry.size, written: false)
    }
}
