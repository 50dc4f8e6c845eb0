extension Repository {
    /// Runs `body` holding the repository's write lock (see ``RepositoryLock``), and
    /// releases it afterwards, also when `body` throws. Every command that stores objects or
    /// relies on them staying (register, backup, copy, restore) wraps its work in this:
    /// ```swift
    /// try repo.withWriteLock(command: "restore", options: .init(timeout: lockTimeout)) { … }
    /// ```
    /// In an S3 repository it also holds a shared lock object in the bucket
    /// (``BucketLock/acquireShared(site:command:options:lease:)``), so that no host's prune or
    /// gc deletes an object this command found already stored and counts on, and forgets
    /// what it knew of the bucket's packs before, so that it sees what a gc deleted.
    /// - Throws: ``WarrenError/lockHeld(path:holder:waited:)`` when another process keeps
    ///   the lock (or, for the bucket, another host its exclusive lock) past
    ///   `options.timeout` seconds; ``WarrenError/s3(_:)``; whatever `body` throws.
    public func withWriteLock<T>(
        command: String, options: RepositoryLock.Options = RepositoryLock.Options(), _ body: () throws -> T
    ) throws -> T {
        try withLocalLock(command: command, options: options) {
            try holdingBucketLock({ try BucketLock.acquireShared(site: $0, command: command, options: options) }) {
                objects.storage.forgetListings()
                return try body()
            }
        }
    }

    /// `body` holding this host's `flock` on the repository (or its cache) alone.
    func withLocalLock<T>(
        command: String, options: RepositoryLock.Options, _ body: () throws -> T
    ) throws -> T {
        let lock = try RepositoryLock.acquire(repository: self, command: command, options: options)
        defer { lock.release() }
        return try body()
    }

    /// `body` holding the bucket lock `acquire` takes (as ``heldBucketLock``, so that the
    /// work can check it is still held), released afterwards; `body` alone in a local repository.
    func holdingBucketLock<T>(_ acquire: (BucketLockSite) throws -> BucketLock, _ body: () throws -> T) throws -> T {
        guard let site = bucketLockSite else { return try body() }
        let lock = try S3Failure.wrapping { try acquire(site) }
        heldBucketLock.set(lock)
        defer {
            heldBucketLock.set(nil)
            lock.release()
        }
        return try body()
    }
}
