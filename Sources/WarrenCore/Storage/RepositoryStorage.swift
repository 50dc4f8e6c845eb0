import Foundation

/// Where a repository's named objects and documents live. Every write is atomic (a reader
/// sees the old content or the new, never a part) and durable when the call returns. The
/// local directory (``LocalDirectoryStorage``) is the first backend; an S3 bucket can be
/// another, since nothing here needs more than put-if-absent, get, head, list and delete.
public protocol RepositoryStorage: Sendable {
    /// Stores `bytes` under `name`. With `ifAbsent`, an existing `name` is left as it is
    /// and ``StoragePutOutcome/alreadyPresent`` is returned (S3's `If-None-Match: *`).
    @discardableResult
    func put(_ name: StorageName, _ bytes: [UInt8], ifAbsent: Bool) throws -> StoragePutOutcome
    /// The content, or nil when `name` does not exist.
    func get(_ name: StorageName) throws -> [UInt8]?
    /// The size, or nil when `name` does not exist.
    func head(_ name: StorageName) throws -> Int64?
    /// Whether `name` is there with `storedSize` bytes: the check before an object is stored.
    /// A bucket answers from what it knows where it can (a small object lives only in a pack,
    /// whose index is loaded already) instead of a HEAD per object.
    func holds(_ name: StorageName, storedSize: Int64) throws -> Bool
    /// Every name directly under `prefix` (e.g. ``StorageName/manifestsPrefix``), sorted.
    func list(prefix: String) throws -> [StorageName]
    /// Every name directly under `prefix` with a version: a string that changes whenever
    /// the content does (a bucket's ETag; a file's size, mtime and inode), so that a reader
    /// can skip what it has read before. Nil where the storage cannot tell.
    func listVersions(prefix: String) throws -> [(name: StorageName, version: String?)]
    /// Removes `name`; a missing name is not an error.
    func delete(_ name: StorageName) throws
    /// Where `name` lives, for messages ("manifests/…42 in /srv/warren").
    func describe(_ name: StorageName) -> String

    /// A local directory for files on their way in (``install(_:as:)``): the repository's
    /// `tmp/` for a local directory, a private local directory for a bucket.
    var temporaryDirectory: String { get }
    /// Stores the complete local file `temporary` (written and fsynced by the caller in
    /// ``temporaryDirectory``) under `name`, streaming it: a file of any size is never held
    /// in memory whole. The file is consumed (moved or uploaded, then removed) when the call
    /// returns; on a throw the caller removes it. Durable once ``syncInstalled()`` returns.
    func install(_ temporary: String, as name: StorageName) throws
    /// Whether ``installBytes(_:as:)`` stores content without a local file (a bucket uploads
    /// it from memory). ``ObjectStore`` then hands it content it holds in memory, instead of
    /// writing, fsyncing and reading back a temporary file that only exists to be uploaded.
    var installsFromMemory: Bool { get }
    /// Stores `bytes`, complete in memory, under `name` as ``install(_:as:)`` stores a file:
    /// put-if-absent, durable once ``syncInstalled()`` returns.
    func installBytes(_ bytes: [UInt8], as name: StorageName) throws
    /// Makes every ``install(_:as:)`` since the last call durable (a local directory fsyncs
    /// the directories it renamed into, once each; a bucket's PUT is durable when answered).
    func syncInstalled() throws
    /// Streams the content of `name` to `body`, at most `chunk.count` bytes at a time, never
    /// holding a large object whole.
    /// - Throws: ``WarrenError/io(path:operation:errno:)`` (`open`, `ENOENT`) naming
    ///   ``describe(_:)`` when `name` does not exist.
    func read(_ name: StorageName, chunk: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Forgets what was listed of the storage before (a bucket's pack indexes), so that the
    /// next look sees what another host deleted meanwhile: called once a command holds its
    /// lock, before it relies on objects already there.
    func forgetListings()
}

/// What a ``RepositoryStorage/put(_:_:ifAbsent:)`` did.
public enum StoragePutOutcome: Sendable, Equatable {
    case written
    case alreadyPresent
}

extension RepositoryStorage {
    /// One ``head(_:)``.
    public func holds(_ name: StorageName, storedSize: Int64) throws -> Bool {
        try head(name) == storedSize
    }

    /// A local file is the way in (a directory's rename is what makes a write atomic).
    public var installsFromMemory: Bool { false }

    /// Nothing is kept between calls.
    public func forgetListings() {}

    /// Writes `bytes` to a fsynced file in ``temporaryDirectory`` and installs it.
    public func installBytes(_ bytes: [UInt8], as name: StorageName) throws {
        try Posix.mkdirIfMissing(temporaryDirectory, mode: 0o700)
        let path = "\(temporaryDirectory)/\(getpid())-\(UUID().uuidString).tmp"
        try Posix.createFsyncedFile(path, bytes, mode: 0o400)
        do { try install(path, as: name) } catch {
            unlink(path)
            throw error
        }
    }

    /// A storage that cannot tell versions: every name without one (always read).
    public func listVersions(prefix: String) throws -> [(name: StorageName, version: String?)] {
        try list(prefix: prefix).map { ($0, nil) }
    }
}
