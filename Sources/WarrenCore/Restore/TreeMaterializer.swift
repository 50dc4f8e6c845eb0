import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes manifest files from the object store under a root directory: each file to a
/// temporary name beside its target, checked against its SHA-256 while copied (bit rot is
/// never restored silently), fsynced, given the owner, renamed into place.
/// Directories are created one component at a time and never followed through a symlink.
final class TreeMaterializer: @unchecked Sendable {
    struct Owner: Sendable {
        var uid: uid_t
        var gid: gid_t
    }

    let objects: ObjectStore
    let root: String
    let owner: Owner?
    /// The exact mode of every file written, whatever the umask (export: 0600); nil: 0644
    /// narrowed by the umask (restore, as the node's own files are made).
    let fileMode: mode_t?
    /// The mode of every directory created (restore 0755, export 0700).
    let directoryMode: mode_t
    private let lock = NSLock()
    private var createdDirectories = Set<String>()
    private(set) var writtenFiles = 0
    private(set) var writtenBytes: Int64 = 0

    init(objects: ObjectStore, root: String, owner: Owner?, fileMode: mode_t? = nil, directoryMode: mode_t = 0o755) {
        self.objects = objects
        self.root = root
        self.owner = owner
        self.fileMode = fileMode
        self.directoryMode = directoryMode
    }

    /// Writes one file; its object must exist with the given size.
    func write(path: SafeRelativePath, object: ObjectID, size: Int64, buffer: IngestBuffer) throws {
        let directory = try ensureDirectory(Array(path.components.dropLast()))
        let target = directory + "/" + path.components.last!
        if let existing = try Posix.lstatIfExists(target), !existing.isRegular {
            throw WarrenError.stepFailed(step: "write \(target)", detail: "a \(existing.typeName) is in the way")
        }
        // Opened before the temporary file exists, so a missing object leaves nothing behind.
        guard try objects.find(object) != nil else {
            throw WarrenError.io(path: objects.describe(object), operation: "open", errno: ENOENT)
        }
        let temp = directory + "/.warren-\(getpid())-\(UUID().uuidString).tmp"
        let fd = try Posix.createExclusive(temp, mode: fileMode ?? 0o644)
        var closed = false
        defer { if !closed { close(fd); unlink(temp) } }
        // The umask only narrows the mode given to open(2): set an exact one explicitly.
        if let fileMode, fchmod(fd, fileMode) != 0 { throw WarrenError.io(path: temp, operation: "fchmod", errno: errno) }
        var copied: Int64 = 0
        var hasher = SHA256()
        let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer.storage[0..<buffer.capacity])
        // Decrypted on the fly in an encrypted repository; the temporary file becomes the
        // target only once every chunk authenticated and the SHA-256 matched.
        try objects.read(object, chunk: chunk) { part in
            hasher.update(bufferPointer: part)
            try Posix.writeFully(fd, part, path: temp)
            copied += Int64(part.count)
        }
        guard copied == size else {
            throw WarrenError.stepFailed(step: "write \(path.string)", detail: "object \(object.short)… holds \(copied) bytes, \(size) recorded")
        }
        let actual = ObjectID(digest: hasher.finalize())
        guard actual == object else {
            throw WarrenError.stepFailed(step: "write \(path.string)", detail: "object \(object.short)… is corrupt (its content hashes to \(actual.short)…); run `warren verify --full`")
        }
        if let owner, fchown(fd, owner.uid, owner.gid) != 0 {
            throw WarrenError.io(path: temp, operation: "fchown", errno: errno)
        }
        try Posix.fsyncOrThrow(fd, path: temp)
        close(fd)
        closed = true
        do {
            try Posix.renameOrThrow(temp, target)
        } catch {
            unlink(temp)
            throw error
        }
        lock.lock()
        writtenFiles += 1
        writtenBytes += size
        lock.unlock()
    }

    /// Makes every written directory entry durable.
    func syncDirectories() throws {
        lock.lock()
        let directories = createdDirectories.sorted()
        lock.unlock()
        for directory in directories { try Posix.fsyncDirectory(directory) }
    }

    private func ensureDirectory(_ components: [String]) throws -> String {
        var path = root
        for component in components {
            path += "/" + component
            lock.lock()
            let known = createdDirectories.contains(path)
            lock.unlock()
            if known { continue }
            if let st = try Posix.lstatIfExists(path) {
                guard st.isDirectory else {
                    throw WarrenError.stepFailed(step: "create \(path)", detail: "a \(st.typeName) is in the way; refusing to follow it")
                }
            } else {
                try Posix.mkdirIfMissing(path, mode: directoryMode)
                if let owner, lchown(path, owner.uid, owner.gid) != 0 {
                    throw WarrenError.io(path: path, operation: "lchown", errno: errno)
                }
                if let st = try Posix.lstatIfExists(path), !st.isDirectory {
                    throw WarrenError.stepFailed(step: "create \(path)", detail: "replaced by a \(st.typeName) while restoring")
                }
            }
            lock.lock()
            createdDirectories.insert(path)
            lock.unlock()
        }
        return path
    }
}
