extension Repository {
    /// Runs `body` holding the lock of a command that deletes (`prune`, `forget`, `gc`): this
    /// host's `flock` (``RepositoryLock``), and in an S3 repository also the bucket's exclusive
    /// lock object (``BucketLock``), once no other host's shared lock is left; after which
    /// this host's catalog cache is brought up to date with the bucket again, so that the
    /// plan sees every backup another host completed before the lock was taken. Both are
    /// released afterwards, also when `body` throws.
    /// - Throws: ``WarrenError/lockHeld(path:holder:waited:)`` when another process (or, for
    ///   the bucket, another host's prune, or a register's shared lock) keeps the lock past
    ///   `options.timeout` seconds; ``WarrenError/s3(_:)``; whatever `body` throws.
    public func withExclusiveLock<T>(
        command: String, options: RepositoryLock.Options = RepositoryLock.Options(), _ body: () throws -> T
    ) throws -> T {
        try withLocalLock(command: command, options: options) {
            try holdingBucketLock({ try BucketLock.acquire(site: $0, command: command, options: options) }) {
                try synchroniseWithBucket()
                return try body()
            }
        }
    }
}
