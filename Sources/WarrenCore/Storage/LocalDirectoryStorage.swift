import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// ``RepositoryStorage`` in a local directory: each name is a file under the repository
/// root, written to the repository's private `tmp/`, fsynced, renamed into place, and its
/// directory fsynced. Files are read-only (0400, or 0440 in a group-readable repository) and
/// directories 0700 (2750), as ``RepositoryAccess`` says.
public struct LocalDirectoryStorage: RepositoryStorage {
    public let root: String
    let tempPath: String
    let access: RepositoryAccess
    /// The directories ``install(_:as:)`` renamed into since the last ``syncInstalled()``.
    private let installedDirectories = LockedSet()

    public init(root: String, access: RepositoryAccess? = nil) {
        self.root = root
        tempPath = root + "/tmp"
        self.access = access ?? RepositoryAccess.of(repositoryPath: root)
    }

    public var temporaryDirectory: String { tempPath }

    public func path(of name: StorageName) -> String { root + "/" + name.path }

    public func describe(_ name: StorageName) -> String { path(of: name) }

    @discardableResult
    public func put(_ name: StorageName, _ bytes: [UInt8], ifAbsent: Bool) throws -> StoragePutOutcome {
        let target = path(of: name)
        if ifAbsent, try Posix.lstatIfExists(target) != nil { return .alreadyPresent }
        let directory = (target as NSString).deletingLastPathComponent
        try makeDirectories(for: name)
        try Posix.mkdirIfMissing(tempPath, mode: access.directoryMode)
        let temp = "\(tempPath)/\(getpid())-\(UUID().uuidString).tmp"
        try Posix.createFsyncedFile(temp, bytes, mode: access.readOnlyFileMode)
        if ifAbsent {
            // link(2) fails with EEXIST instead of replacing: put-if-absent even against a
            // writer that raced us past the check above.
            if link(temp, target) != 0 {
                let code = errno
                unlink(temp)
                if code == EEXIST { return .alreadyPresent }
                throw WarrenError.io(path: target, operation: "link", errno: code)
            }
            unlink(temp)
        } else {
            do { try Posix.renameOrThrow(temp, target) } catch { unlink(temp); throw error }
        }
        try Posix.fsyncDirectory(directory)
        return .written
    }

    public func get(_ name: StorageName) throws -> [UInt8]? {
        let target = path(of: name)
        guard let st = try Posix.lstatIfExists(target) else { return nil }
        guard st.isRegular else {
            throw WarrenError.io(path: target, operation: "read (it is a \(st.typeName))", errno: EINVAL)
        }
        return try Posix.readSmallFile(target, limit: Self.documentLimit)
    }

    public func head(_ name: StorageName) throws -> Int64? {
        try Posix.lstatIfExists(path(of: name))?.size
    }

    public func list(prefix: String) throws -> [StorageName] {
        let directory = root + "/" + prefix
        guard try Posix.lstatIfExists(directory)?.isDirectory == true else { return [] }
        return try Posix.listDirectory(directory)
            .filter { !$0.hasPrefix(".") }
            .map { StorageName.listed(prefix: prefix, entry: $0) }
            .sorted()
    }

    /// Versions are `size:mtime_ns:inode` (an atomic write renames a new inode into place).
    public func listVersions(prefix: String) throws -> [(name: StorageName, version: String?)] {
        try list(prefix: prefix).map { name in
            (name, try Posix.lstatIfExists(path(of: name)).map { "\($0.size):\($0.mtimeNs):\($0.inode)" })
        }
    }

    public func delete(_ name: StorageName) throws {
        let target = path(of: name)
        if unlink(target) != 0 {
            guard errno == ENOENT else { throw WarrenError.io(path: target, operation: "unlink", errno: errno) }
            return
        }
        try Posix.fsyncDirectory((target as NSString).deletingLastPathComponent)
    }

    /// Renames `temporary` into place; the directory is fsynced by ``syncInstalled()``, once
    /// for every file renamed into it (an ingest of thousands of files syncs each fan-out
    /// directory once).
    public func install(_ temporary: String, as name: StorageName) throws {
        let target = path(of: name)
        try makeDirectories(for: name)
        try Posix.renameOrThrow(temporary, target)
        installedDirectories.insert((target as NSString).deletingLastPathComponent)
    }

    public func syncInstalled() throws {
        for directory in installedDirectories.drain() { try Posix.fsyncDirectory(directory) }
    }

    public func read(_ name: StorageName, chunk: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let target = path(of: name)
        let fd = try Posix.openForReading(target)
        defer { close(fd) }
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        while true {
            // Objects are written past the cache, and read once: read them past it too.
            let n = try Posix.readFullyBypassingCache(fd, into: chunk, path: target)
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
    }

    /// Creates the directories between the root and `name` (`state/`, `state/pins/`, …).
    private func makeDirectories(for name: StorageName) throws {
        var path = root
        for part in name.path.split(separator: "/").dropLast() {
            path += "/" + part
            try Posix.mkdirIfMissing(path, mode: access.directoryMode)
        }
    }

    /// Documents are small; a manifest of a million files stays well under this.
    static let documentLimit = 1 << 30
}
