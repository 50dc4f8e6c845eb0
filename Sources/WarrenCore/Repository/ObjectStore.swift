import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Content-addressed storage under `objects/`: each object is named by the SHA-256 of its
/// content (``StorageName/object(_:)``, a fan-out by the first two hex digits), through the
/// repository's ``RepositoryStorage``. Objects are written to the storage's local
/// ``RepositoryStorage/temporaryDirectory``, fsynced, then installed (renamed into place in a
/// local directory, uploaded to a bucket), so an object that exists is whole.
public final class ObjectStore: Sendable {
    /// The outcome of storing one piece of content.
    public struct Stored: Sendable {
        public var id: ObjectID
        public var size: Int64
        /// False when the object was already present (deduplicated).
        public var written: Bool
    }

    /// Where the objects are: `ROOT/objects` in a local directory (the only storage whose
    /// objects are files, see ``isLocal``), the bucket's `objects` otherwise (for messages).
    public let objectsPath: String
    /// A local directory for files on their way in (the storage's temporary directory).
    public let tempPath: String
    /// Where the objects are stored.
    public let storage: any RepositoryStorage
    /// The modes new objects and directories get.
    public let access: RepositoryAccess
    /// Set in an encrypted repository: objects are sealed and named by keyed ids.
    public let sealing: ObjectSealing?

    convenience init(repositoryPath: String, access: RepositoryAccess? = nil, sealing: ObjectSealing? = nil) {
        let access = access ?? RepositoryAccess.of(repositoryPath: repositoryPath)
        self.init(storage: LocalDirectoryStorage(root: repositoryPath, access: access), access: access, sealing: sealing)
    }

    /// Objects in `storage` (a local directory or a bucket).
    init(storage: any RepositoryStorage, access: RepositoryAccess, sealing: ObjectSealing? = nil) {
        self.storage = storage
        objectsPath = (storage as? LocalDirectoryStorage).map { $0.root + "/objects" } ?? storage.describe(.objectsDirectory)
        tempPath = storage.temporaryDirectory
        self.access = access
        self.sealing = sealing
    }

    /// Whether objects are files under ``objectsPath`` (a local directory), which
    /// ``path(of:)`` names.
    public var isLocal: Bool { storage is LocalDirectoryStorage }

    /// Creates `objects/00` … `objects/ff` and `tmp/`.
    func createLayout() throws {
        try Posix.mkdirIfMissing(objectsPath, mode: access.directoryMode)
        try Posix.mkdirIfMissing(tempPath, mode: access.directoryMode)
        for i in 0..<256 { try Posix.mkdirIfMissing(objectsPath + "/" + String(format: "%02x", i), mode: access.directoryMode) }
        try Posix.fsyncDirectory(objectsPath)
    }

    /// Where the object whose plain SHA-256 is `id` is stored (under its keyed id in an
    /// encrypted repository, see ``ObjectSealing``): a file in a local directory. For any
    /// storage, see ``name(of:)`` and ``describe(_:)``.
    public func path(of id: ObjectID) -> String {
        let hex = (sealing?.storedID(of: id) ?? id).hex
        return "\(objectsPath)/\(hex.prefix(2))/\(hex)"
    }

    /// The storage name of the object whose plain SHA-256 is `id`.
    public func name(of id: ObjectID) -> StorageName { .object(sealing?.storedID(of: id) ?? id) }

    /// Where the object is, for messages: its path, or its bucket URL.
    public func describe(_ id: ObjectID) -> String { isLocal ? path(of: id) : storage.describe(name(of: id)) }

    /// The object as stored, or nil when it is not there: its size (sealed, in an encrypted
    /// repository) and whether it is a regular file (a directory or symlink in its place in a
    /// local directory is there, but not an object; a bucket holds objects only).
    public func find(_ id: ObjectID) throws -> (size: Int64, isRegular: Bool)? {
        guard isLocal else { return try storage.head(name(of: id)).map { ($0, true) } }
        return try Posix.lstatIfExists(path(of: id)).map { ($0.size, $0.isRegular) }
    }

    /// The size on disk of an object of `size` plaintext bytes.
    public func storedSize(ofPlain size: Int64) -> Int64 {
        sealing?.storedSize(ofPlain: size) ?? size
    }

    /// Removes the object (a failed backup's new objects); false when it was not removed
    /// (already gone, or the storage refused). A local directory is not fsynced: a removal
    /// undone by a crash leaves an orphan for `gc`, never a missing object.
    func remove(_ id: ObjectID) -> Bool {
        guard isLocal else { return (try? storage.delete(name(of: id))) != nil }
        return unlink(path(of: id)) == 0
    }

    /// Whether the object is present with the given (plaintext) size (a cheap check, no read).
    public func contains(_ id: ObjectID, size: Int64) -> Bool {
        guard isLocal else { return (try? storage.holds(name(of: id), storedSize: storedSize(ofPlain: size))) ?? false }
        guard let found = try? find(id) else { return false }
        return found.isRegular && found.size == storedSize(ofPlain: size)
    }

    /// Reads `path` once, hashing it, and stores its content unless already present.
    /// - Parameter onBytes: called with the byte count of each chunk read (for progress).
    func ingestFile(at path: String, buffer: IngestBuffer, onBytes: (Int64) -> Void) throws -> Stored {
        let fd = try Posix.openForReading(path)
        defer { close(fd) }
        let st = try Posix.fstatOrThrow(fd, path: path)
        guard st.isRegular else {
            throw WarrenError.invalidBackup(path: path, reason: "is a \(st.typeName); expected a regular file")
        }
        if st.size <= Int64(buffer.capacity) {
            let whole = UnsafeMutableRawBufferPointer(rebasing: buffer.storage[0...buffer.capacity])
            let n = try Posix.readFullyBypassingCache(fd, into: whole, path: path)
            if n <= buffer.capacity {
                onBytes(Int64(n))
                let staging = sealing == nil ? nil : buffer.staging
                return try store(UnsafeRawBufferPointer(rebasing: buffer.storage[0..<n]), staging: staging)
            }
            // The file grew past the buffer while we read it: start again, streaming.
            guard lseek(fd, 0, SEEK_SET) == 0 else { throw WarrenError.io(path: path, operation: "lseek", errno: errno) }
        }
        return try stream(fd: fd, path: path, buffer: buffer, onBytes: onBytes)
    }

    /// The object id content would have.
    public static func digest(_ bytes: UnsafeRawBufferPointer) -> ObjectID {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return ObjectID(digest: hasher.finalize())
    }

    /// Stores content held in memory.
    public func store(_ bytes: UnsafeRawBufferPointer) throws -> Stored {
        try store(bytes, staging: nil)
    }

    /// As ``store(_:)``; a local directory writes the object bypassing the page cache, the
    /// sealed copy of an encrypted one gathered in `staging` (see ``DirectFileWriter``; it
    /// must not overlap `bytes`) or, without one, sealed whole in memory first.
    func store(_ bytes: UnsafeRawBufferPointer, staging: UnsafeMutableRawBufferPointer?) throws -> Stored {
        let id = Self.digest(bytes)
        let size = Int64(bytes.count)
        if contains(id, size: size) { return Stored(id: id, size: size, written: false) }
        if storage.installsFromMemory {
            let stored = sealing.map { $0.cipher.seal(bytes, kind: .file, name: $0.storedID(of: id).bytes) } ?? Array(bytes)
            try storage.installBytes(stored, as: name(of: id))
            return Stored(id: id, size: size, written: true)
        }
        let temp = try makeTemporary()
        var closed = false
        do {
            if let sealing, let staging {
                var writer = DirectFileWriter(fd: temp.fd, path: temp.path, staging: staging)
                let sealer = sealing.cipher.encryptor(kind: .file)
                try sealer.update(bytes) { try writer.write($0) }
                try sealer.finish(name: sealing.storedID(of: id).bytes) { try writer.write($0) }
                try writer.finish()
            } else if let sealing {
                let sealed = sealing.cipher.seal(bytes, kind: .file, name: sealing.storedID(of: id).bytes)
                try sealed.withUnsafeBytes { try Posix.writeFullyBypassingCache(temp.fd, $0, path: temp.path) }
            } else {
                try Posix.writeFullyBypassingCache(temp.fd, bytes, path: temp.path)
            }
            try Posix.fsyncOrThrow(temp.fd, path: temp.path)
            close(temp.fd); closed = true
            try install(temp.path, as: id)
        } catch {
            // Closed once only: a failed install (a server killed mid-upload) closing it again
            // could close a descriptor reused meanwhile by another thread (NIO's socket:
            // "unacceptable errno 9 Bad file descriptor in getsockname").
            if !closed { close(temp.fd) }
            unlink(temp.path)
            throw error
        }
        return Stored(id: id, size: size, written: true)
    }

    private func stream(fd: Int32, path: String, buffer: IngestBuffer, onBytes: (Int64) -> Void) throws -> Stored {
        let temp = try makeTemporary()
        var closed = false
        do {
            var hasher = SHA256()
            var size: Int64 = 0
            let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer.storage[0..<min(buffer.capacity, 4 << 20)])
            // Sealed in the same pass; the name (known only at the end) goes into the last chunk.
            let sealer = sealing?.cipher.encryptor(kind: .file)
            // A local object bypasses the page cache; a bucket's upload reads the file back.
            var writer = storage.installsFromMemory ? nil : DirectFileWriter(fd: temp.fd, path: temp.path, staging: buffer.staging)
            let tempFD = temp.fd, tempPath = temp.path
            let write: (UnsafeRawBufferPointer) throws -> Void = {
                if writer != nil { try writer!.write($0) } else { try Posix.writeFully(tempFD, $0, path: tempPath) }
            }
            while true {
                let n = try Posix.readFullyBypassingCache(fd, into: chunk, path: path)
                if n == 0 { break }
                let part = UnsafeRawBufferPointer(rebasing: chunk[0..<n])
                hasher.update(bufferPointer: part)
                if let sealer { try sealer.update(part, output: write) } else { try write(part) }
                size += Int64(n)
                onBytes(Int64(n))
            }
            let id = ObjectID(digest: hasher.finalize())
            if let sealer, let sealing { try sealer.finish(name: sealing.storedID(of: id).bytes, output: write) }
            try writer?.finish()
            if contains(id, size: size) {
                close(temp.fd); closed = true
                unlink(temp.path)
                return Stored(id: id, size: size, written: false)
            }
            // A bucket's copy is durable when its PUT is answered; the file is only read back.
            if !storage.installsFromMemory { try Posix.fsyncOrThrow(temp.fd, path: temp.path) }
            close(temp.fd); closed = true
            try install(temp.path, as: id)
            return Stored(id: id, size: size, written: true)
        } catch {
            if !closed { close(temp.fd) }
            unlink(temp.path)
            throw error
        }
    }

    private func makeTemporary() throws -> (fd: Int32, path: String) {
        let path = "\(tempPath)/\(getpid())-\(UUID().uuidString).tmp"
        try Posix.mkdirIfMissing(tempPath, mode: access.directoryMode)
        return (try Posix.createExclusive(path, mode: access.readOnlyFileMode), path)
    }

    private func install(_ temp: String, as id: ObjectID) throws {
        try storage.install(temp, as: name(of: id))
    }

    /// Makes every object stored since the last call durable. Call before the catalog commits
    /// rows that reference the new objects.
    public func syncNewObjects() throws {
        try storage.syncInstalled()
    }

    /// Removes temporary files left by processes that no longer run (a crash mid-write).
    public func removeStaleTemporaries() {
        guard let names = try? Posix.listDirectory(tempPath) else { return }
        for name in names {
            guard let pid = Int32(name.prefix { $0 != "-" }), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(tempPath + "/" + name) }
        }
    }
}
