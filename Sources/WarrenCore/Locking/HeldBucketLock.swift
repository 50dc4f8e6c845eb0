import Foundation

/// The bucket lock a repository's command holds right now (set by
/// ``Repository/withExclusiveLock(command:options:_:)`` and ``Repository/withWriteLock(command:options:_:)``),
/// so that the code that deletes in the bucket, or writes a manifest, can stop when the
/// heartbeat found the lock taken by another host or removed (this host's lease ran out,
/// e.g. the server was unreachable for a whole lease).
public final class HeldBucketLock: @unchecked Sendable {
    private let mutex = NSLock()
    private var lock: BucketLock?

    init() {}

    func set(_ lock: BucketLock?) {
        mutex.lock()
        defer { mutex.unlock() }
        self.lock = lock
    }

    /// Throws when a lock is held and has been lost; nothing to check otherwise.
    /// - Throws: ``WarrenError/lockHeld(path:holder:waited:)`` naming the host that holds it now.
    func ensureHeld() throws {
        mutex.lock()
        let lock = self.lock
        mutex.unlock()
        try lock?.ensureHeld()
    }
}
