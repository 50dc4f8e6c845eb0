import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The repository's write lock: `flock(2)` on `REPO/lock`, plus a JSON ``LockHolder`` record
/// in that file naming the holder (pid, host, command, start time) for error messages.
///
/// Every command that writes objects or removes catalog rows holds it for its whole run:
/// `register`, `backup`, `restore`, `prune`, `gc`, and `check` when it repairs. Readers
/// (`list`, `show`, `verify`, `diff`) never take it: SQLite WAL gives them a consistent
/// snapshot while a writer works. Short metadata writes (`pin`, `policy set`, verify's
/// verdict) do not take it either; `prune` re-reads pins, verdicts and policies inside its
/// deletion transaction, so they cannot race with it.
///
/// Why writers must serialise: a writer stores objects *before* the catalog transaction
/// that references them, so a concurrent `gc` would see them as garbage.
///
/// The kernel releases a `flock` when its process dies, so a lock left by a crashed process
/// is free again at once; the new holder finds the dead one's record still in the file and
/// reports the takeover through ``Options/onTakeover`` (and ``tookOverFrom``).
///
/// Usage:
/// ```swift
/// let lock = try RepositoryLock.acquire(repository: repo, command: "backup",
///                                       options: .init(timeout: 30))
/// defer { lock.release() }
/// ```
/// or ``Repository/withWriteLock(command:options:_:)``. The lock is not reentrant: taking it
/// twice in one process fails like a second process would (the error names this pid).
public final class RepositoryLock: @unchecked Sendable {
    /// How to wait, and whom to tell about a takeover.
    public struct Options: Sendable {
        /// Seconds to wait for a busy lock; 0 fails at once (the CLI's `--lock-timeout`).
        public var timeout: Double
        /// Called once, before ``acquire(repository:command:options:)`` returns, when the lock
        /// was left by a process that is gone (the CLI prints it on stderr).
        public var onTakeover: (@Sendable (LockHolder) -> Void)?
        /// Called once when the lock is busy and ``timeout`` is above 0, before waiting, with
        /// the holder's record if it could be read (the CLI says whom it waits for).
        public var onWait: (@Sendable (LockHolder?) -> Void)?
        /// Called once when an S3 repository's lock object (``BucketLock``) was taken over
        /// from a holder whose lease had run out (the CLI prints it on stderr).
        public var onExpiredLease: (@Sendable (LockHolder) -> Void)?

        public init(timeout: Double = 0, onTakeover: (@Sendable (LockHolder) -> Void)? = nil,
                    onWait: (@Sendable (LockHolder?) -> Void)? = nil, onExpiredLease: (@Sendable (LockHolder) -> Void)? = nil) {
            self.timeout = timeout
            self.onTakeover = onTakeover
            self.onWait = onWait
            self.onExpiredLease = onExpiredLease
        }
    }

    /// `REPO/lock`.
    public let path: String
    /// This holder's record, as written into the lock file.
    public let holder: LockHolder
    /// The record of a previous holder that died without releasing the lock, if any.
    public let tookOverFrom: LockHolder?

    private let mutex = NSLock()
    private var fd: Int32

    static let pollInterval: Double = 0.05

    private init(path: String, fd: Int32, holder: LockHolder, tookOverFrom: LockHolder?) {
        self.path = path
        self.fd = fd
        self.holder = holder
        self.tookOverFrom = tookOverFrom
    }

    deinit { release() }

    public static func lockPath(of repository: any RepositoryReadable) -> String { repository.path + "/lock" }

    /// Takes the write lock for `command`, waiting up to `options.timeout` seconds.
    /// - Throws: ``WarrenError/lockHeld(path:holder:waited:)`` naming the holder when it is
    ///   still busy after the timeout; ``WarrenError/io(path:operation:errno:)`` when the
    ///   lock file cannot be opened.
    public static func acquire(repository: Repository, command: String, options: Options = Options()) throws -> RepositoryLock {
        try acquire(repositoryPath: repository.path, command: command, options: options)
    }

    /// The same, for a repository whose catalog cannot be opened (`warren catalog rebuild`).
    public static func acquire(repositoryPath: String, command: String, options: Options = Options()) throws -> RepositoryLock {
        let path = repositoryPath + "/lock"
        let mode = RepositoryAccess.of(repositoryPath: repositoryPath).fileMode
        let start = Date()
        var announced = false
        while true {
            let fd = try openLockFile(path, mode: mode)
            if try tryLock(fd, path: path) {
                // The file may have been replaced while we waited: only the inode at `path` counts.
                if let onDisk = try Posix.lstatIfExists(path), let mine = try? Posix.fstatOrThrow(fd, path: path),
                   onDisk.inode == mine.inode, onDisk.device == mine.device {
                    return try takeOwnership(fd: fd, path: path, command: command, options: options)
                }
                close(fd)
                continue
            }
            close(fd)
            let waited = Date().timeIntervalSince(start)
            if waited >= options.timeout {
                throw WarrenError.lockHeld(path: repositoryPath, holder: readHolder(path), waited: options.timeout > 0 ? waited : 0)
            }
            if !announced {
                announced = true
                options.onWait?(readHolder(path))
            }
            Thread.sleep(forTimeInterval: min(pollInterval, max(0.001, options.timeout - waited)))
        }
    }

    /// The current holder's record when the lock looks held by a live process, without
    /// touching the lock itself (for reports such as `check --dry-run`).
    public static func currentHolder(repository: any RepositoryReadable) -> LockHolder? {
        guard let holder = readHolder(lockPath(of: repository)), holder.isAlive else { return nil }
        return holder
    }

    /// Releases the lock (idempotent). The record is cleared first, so a crash between the
    /// two steps leaves an empty file, not a misleading one.
    public func release() {
        mutex.lock()
        defer { mutex.unlock() }
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        close(fd)
        fd = -1
    }

    private static func takeOwnership(fd: Int32, path: String, command: String, options: Options) throws -> RepositoryLock {
        let previous = readHolder(fd: fd)
        let holder = LockHolder.current(command: command)
        let record = holder.encoded()
        do {
            guard ftruncate(fd, 0) == 0 else { throw WarrenError.io(path: path, operation: "ftruncate", errno: errno) }
            let written = record.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            guard written == record.count else { throw WarrenError.io(path: path, operation: "write", errno: errno) }
        } catch {
            close(fd)
            throw error
        }
        if let previous { options.onTakeover?(previous) }
        return RepositoryLock(path: path, fd: fd, holder: holder, tookOverFrom: previous)
    }

    /// Created private (0600; 0640 in a group-readable repository): it names the holder.
    private static func openLockFile(_ path: String, mode: mode_t) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw WarrenError.io(path: path, operation: "open lock file", errno: errno) }
        // Exactly `mode` whatever the umask; a lock file of another owner keeps its own.
        _ = fchmod(fd, mode)
        return fd
    }

    /// One non-blocking attempt; false when another open file description holds it.
    private static func tryLock(_ fd: Int32, path: String) throws -> Bool {
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
            switch errno {
            case EINTR: continue
            case EWOULDBLOCK: return false
            default:
                let code = errno
                close(fd)
                throw WarrenError.io(path: path, operation: "flock", errno: code)
            }
        }
    }

    /// Reads the holder record; a holder that has just taken the lock may not have written
    /// it yet, so an empty file is read again for a short while.
    static func readHolder(_ path: String) -> LockHolder? {
        for attempt in 0..<5 {
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { return nil }
            let holder = readHolder(fd: fd)
            close(fd)
            if holder != nil || attempt == 4 { return holder }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    private static func readHolder(fd: Int32) -> LockHolder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return LockHolder.decode(Array(buffer[0..<n]))
    }
}
