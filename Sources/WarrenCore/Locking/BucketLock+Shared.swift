import Foundation

extension BucketLock {
    /// Which lock objects under `locks/` a listing looks at.
    enum Kind: Sendable {
        /// `locks/exclusive`, or the fallback's `locks/exclusive-<token>`.
        case exclusive
        /// `locks/shared-<token>`.
        case shared

        func names(_ name: Substring) -> Bool {
            switch self {
            case .exclusive: name == "exclusive" || name.hasPrefix("exclusive-")
            case .shared: name.hasPrefix("shared-")
            }
        }
    }

    /// Takes a shared lock for `command` (a register, backup, copy or restore): once no
    /// exclusive lock is held, writes `locks/shared-<token>`, then looks again. While an
    /// exclusive lock is held (a prune or gc on another host) it waits, up to
    /// `options.timeout` seconds, with its own record removed. Starts the heartbeat once held.
    ///
    /// Each side writes its own record before it looks for the other's (the exclusive holder
    /// looks for shared records after taking its lock), so of a writer and a deleter racing,
    /// at least one sees the other: the bucket reads its own writes (S3 has been strongly
    /// consistent since 2020; SeaweedFS is).
    /// - Throws: ``WarrenError/lockHeld(path:holder:waited:)`` naming the exclusive holder
    ///   while its lease holds past the timeout; ``S3Error`` for a failed request.
    public static func acquireShared(site: BucketLockSite, command: String, options: RepositoryLock.Options = RepositoryLock.Options(),
                                     lease: Double = defaultLease) throws -> BucketLock {
        let client = site.storage.client
        let start = Date()
        var announced = false
        while true {
            // Looks before it writes, so that a writer waiting for a prune writes nothing
            // that the prune, waiting in turn for shared holders to go, would find.
            if let holder = try currentHolder(site: site) {
                try wait(site: site, holder: holder, start: start, announced: &announced, options: options)
                continue
            }
            let record = BucketLockRecord.current(command: command, repositoryID: site.repositoryID, lease: lease)
            let key = site.locksPrefix + "shared-" + record.token
            let etag = try client.putObject(key, try record.encoded(), condition: .none)
            guard let holder = try currentHolder(site: site) else {
                let lock = BucketLock(site: site, key: key, record: record, etag: etag, tookOverFrom: nil)
                lock.startHeartbeat()
                return lock
            }
            try client.deleteObject(key)
            try wait(site: site, holder: holder, start: start, announced: &announced, options: options)
        }
    }

    /// The holders of shared locks whose lease holds, oldest first.
    public static func sharedHolders(site: BucketLockSite) throws -> [BucketLockRecord] {
        try records(site: site, kind: .shared).valid.map(\.record)
    }

    /// Waits, holding this exclusive lock, until no shared lock's lease holds; removes the
    /// records of shared holders that are gone (lease run out, or a dead process on this
    /// host). Counts the wait from `start`, when taking the exclusive lock began.
    /// - Throws: ``WarrenError/lockHeld(path:holder:waited:)`` naming the oldest shared
    ///   holder (its host, pid and command) when one is still there after `options.timeout` seconds.
    func waitForSharedHolders(options: RepositoryLock.Options, start: Date) throws {
        let client = site.storage.client
        var announced = false
        while true {
            let (valid, expired) = try Self.records(site: site, kind: .shared)
            for stale in expired { try client.deleteObject(stale.key) }
            guard let holder = valid.first?.record else { return }
            try Self.wait(site: site, holder: holder, start: start, announced: &announced, options: options)
        }
    }
}
