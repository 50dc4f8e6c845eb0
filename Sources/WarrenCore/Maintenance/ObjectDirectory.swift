import Foundation
import GRDB

/// What `objects/` holds on disk: every file named like an object (64 hex digits in the
/// fan-out directory of its first two), and anything else found there.
struct ObjectDirectory {
    struct File {
        var id: ObjectID
        var size: Int64
        /// When it was written: the server's `LastModified` in a bucket; nil for a file
        /// (a local directory's writers hold the write lock, so `gc` needs no age there).
        var modified: Date? = nil
    }

    var objects: [File] = []
    /// Paths under `objects/` that are not objects (never deleted by Warren).
    var unexpected: [String] = []
    /// A bucket's packs that no index names (a writer killed between a pack's PUT and its
    /// index's): garbage, which `gc` deletes once older than its safety window.
    var unindexedPacks: [PackedStorage.ListedPack] = []

    static func scan(_ store: ObjectStore) throws -> ObjectDirectory {
        if let bucket = store.storage as? S3Storage { return try scan(bucket) }
        if let packed = store.storage as? PackedStorage { return try scan(packed) }
        var result = ObjectDirectory()
        for fanout in try Posix.listDirectory(store.objectsPath) {
            let directory = store.objectsPath + "/" + fanout
            guard let st = try Posix.lstatIfExists(directory) else { continue }
            guard st.isDirectory, fanout.utf8.count == 2, isLowerHex(fanout) else {
                result.unexpected.append(directory)
                continue
            }
            for name in try Posix.listDirectory(directory) {
                let path = directory + "/" + name
                guard let file = try Posix.lstatIfExists(path) else { continue }
                if file.isRegular, name.utf8.count == 64, name.hasPrefix(fanout), isLowerHex(name), let id = ObjectID(hex: name) {
                    result.objects.append(File(id: id, size: file.size))
                } else {
                    result.unexpected.append(path)
                }
            }
        }
        return result
    }

    /// A bucket's `objects/`, in one listing (ListObjectsV2, paged) with each object's size
    /// and `LastModified`: keys `objects/ab/<64 hex digits starting ab>` are objects, anything
    /// else under `objects/` is unexpected.
    static func scan(_ bucket: S3Storage) throws -> ObjectDirectory {
        var result = ObjectDirectory()
        let base = bucket.location.key(StorageName.objectsDirectory.path) + "/"
        for listed in try S3Failure.wrapping({ try bucket.client.listObjects(prefix: base) }) {
            let rest = String(listed.key.dropFirst(base.count))
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 2, parts[0].utf8.count == 2, isLowerHex(String(parts[0])), parts[1].utf8.count == 64,
               parts[1].hasPrefix(parts[0]), isLowerHex(String(parts[1])), let id = ObjectID(hex: String(parts[1])), let size = listed.size {
                result.objects.append(File(id: id, size: size, modified: listed.lastModified))
            } else {
                result.unexpected.append(bucket.location.description + "/" + StorageName.objectsDirectory.path + "/" + rest)
            }
        }
        return result
    }

    /// A packed bucket: its loose objects (``scan(_:)-(S3Storage)``, one listing of
    /// `objects/`), then every object its pack indexes name (one listing of `packs/`, the
    /// indexes read), each with its pack's `LastModified`. An object in two packs (two
    /// writers packed it at once) is listed once.
    static func scan(_ packed: PackedStorage) throws -> ObjectDirectory {
        var result = try scan(packed.bucket)
        let survey = try S3Failure.wrapping { try packed.survey() }
        var seen = Set(result.objects.map(\.id))
        for member in survey.objects {
            guard let id = ObjectID(hex: member.object), seen.insert(id).inserted else { continue }
            result.objects.append(File(id: id, size: member.length, modified: member.modified))
        }
        result.unindexedPacks = survey.unindexed
        return result
    }

    /// In an encrypted repository the files are named by keyed ids (``ObjectSealing``):
    /// this maps every name back to the plain SHA-256 the catalog knows it by, and every
    /// size back to the plaintext size. A name no catalog row accounts for (an object a
    /// killed writer left) is opened and hashed (``SealedOrphan``): one of this
    /// repository's objects is listed with its plain id (so `gc` removes it as unreferenced),
    /// anything else with ``unexpected``.
    func translated(for store: ObjectStore, db: Database) throws -> ObjectDirectory {
        guard let sealing = store.sealing else { return self }
        var byName: [ObjectID: ObjectID] = [:]
        for data in try Data.fetchAll(db, sql: """
            SELECT sha256 FROM object UNION SELECT sha256 FROM manifest_file
            UNION SELECT definitions_sha256 FROM backup WHERE definitions_sha256 IS NOT NULL
            UNION SELECT sha256 FROM object_deletion
            """) {
            if let id = ObjectID(bytes: Array(data)) { byName[sealing.storedID(of: id)] = id }
        }
        var result = ObjectDirectory(objects: [], unexpected: unexpected, unindexedPacks: unindexedPacks)
        for file in objects {
            if let id = byName[file.id], let size = sealing.plainSize(ofStored: file.size) {
                result.objects.append(File(id: id, size: size, modified: file.modified))
            } else if byName[file.id] == nil, var orphan = SealedOrphan.identify(file.id, in: store) {
                orphan.modified = file.modified
                result.objects.append(orphan)
            } else {
                result.unexpected.append(store.objectsPath + "/" + file.id.hex.prefix(2) + "/" + file.id.hex)
            }
        }
        return result
    }

    private static func isLowerHex(_ text: String) -> Bool {
        text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
