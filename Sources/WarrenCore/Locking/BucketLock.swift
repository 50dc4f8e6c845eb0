import Foundation

/// The locks of an S3 repository, objects under its `locks/` (issue 11), as restic keeps them:
/// - **exclusive**, held by `prune`, `forget`, `gc` and `check` while they delete;
/// - **shared** (`locks/shared-<token>`, ``acquireShared(site:command:options:lease:)``),
///   held by every command that stores objects or relies on them staying (register, backup,
///   copy into the bucket, restore). Shared locks never block each other, so many hosts'
///   writers still run at once; a deleting command waits until none is left, and a writer
///   waits while an exclusive lock is held. Without them, a register that found an object
///   already in the bucket (deduplicated, not uploaded) could reference it after another
///   host's gc deleted it: the safety window only protects young objects.
///
/// How it is taken depends on what the server honoured when `warren init` probed it
/// (``S3ConditionalWrites``, recorded in `config`):
/// - **`If-None-Match: *`** (SeaweedFS ≥ 4.18, AWS S3): the lock is `locks/exclusive`,
///   created by a conditional PUT, so exactly one of several racing hosts gets it. With
///   `If-Match` too, taking over an expired lock, refreshing and releasing are
///   compare-and-swaps on the ETag read; without it, a take-over is DELETE, then the
///   conditional create (two hosts taking over the same expired lock at the same instant
///   could both delete; only one create wins, but the loser may have deleted the winner's).
/// - **Neither** (the fallback, as restic and borg do it): each holder writes
///   `locks/exclusive-<token>`, lists `locks/`, and when its record is the oldest valid one it
///   waits ``settleInterval`` and lists again; the oldest then wins, the others remove theirs
///   and wait. (A contender whose PUT takes longer than that wait can still slip past: the
///   fallback is as safe as restic's, not as a conditional PUT.)
///
/// **The lease**: a record holds for ``BucketLockRecord/leaseSeconds`` (default
/// ``defaultLease``, 5 min) after its object's `Last-Modified`, judged by the server's clock
/// (the `Date` of the answer that read it), so hosts' clocks need not agree. The holder
/// refreshes it every lease/3 from a background thread (the heartbeat). A lock whose lease
/// ran out (its holder died, or lost the server for a whole lease) may be taken over; the
/// take-over is reported through ``RepositoryLock/Options/onExpiredLease``. Release deletes the
/// object only while it still holds this holder's token.
public final class BucketLock: @unchecked Sendable {
    /// 5 minutes.
    public static let defaultLease: Double = 300
    /// How often a waiter looks again.
    static let pollInterval: Double = 0.25
    /// The fallback's wait between finding its record the oldest and looking again.
    static let settleInterval: Double = 0.2

    public let site: BucketLockSite
    /// The object this holder owns.
    public let key: String
    /// This holder's record, as first written.
    public let record: BucketLockRecord
    /// The record of a holder whose lease ran out and whose lock this one took over.
    public let tookOverFrom: BucketLockRecord?

    private let condition = NSCondition()
    private var etag: String?
    private var current: BucketLockRecord
    private var stopped = false
    private var released = false
    private var heartbeatDone: DispatchSemaphore?
    /// Set when a refresh found the lock no longer ours (taken over after a lost lease).
    private var lostLock = false
    /// When the last write of the record that the server accepted was sent (so, no later
    /// than the server's `Last-Modified`): past it plus the lease, the lock may be taken.
    /// At first, when the record was made, just before its PUT.
    private var renewedAt: Date

    init(site: BucketLockSite, key: String, record: BucketLockRecord, etag: String?, tookOverFrom: BucketLockRecord?) {
        self.site = site
        self.key = key
        self.record = record
        current = record
        renewedAt = Timestamp.parse(record.createdAt) ?? Date()
        self.etag = etag
        self.tookOverFrom = tookOverFrom
    }

    deinit { release() }

    /// Whether a heartbeat found the lock taken by another holder (this one's lease had run out).
    /// Also true once a whole lease has passed since the last refresh the server accepted,
    /// before any heartbeat noticed: another host may count it expired by then.
    public var isLost: Bool {
        condition.lock()
        defer { condition.unlock() }
        return lostLock || (!released && Date().timeIntervalSince(renewedAt) >= record.leaseSeconds)
    }

    /// Throws when the heartbeat found the lock taken by another holder: a command must not
    /// go on deleting without it.
    /// - Throws: ``WarrenError/lockHeld(path:holder:waited:)`` naming the holder now.
    public func ensureHeld() throws {
        guard isLost else { return }
        throw WarrenError.lockHeld(path: site.description, holder: (try? Self.currentHolder(site: site))??.holder, waited: 0)
    }

    /// Takes the lock for `command`, waiting up to `options.timeout` seconds, and starts its heartbeat.
    /// - Throws: ``WarrenError/lockHeld(path:holder:waited:)`` naming the holder (host, pid,
    ///   command) while its lease holds past the timeout; ``S3Error`` for a failed request.
    public static func acquire(site: BucketLockSite, command: String, options: RepositoryLock.Options = RepositoryLock.Options(),
                               lease: Double = defaultLease) throws -> BucketLock {
        let start = Date()
        let lock = site.writes.ifNoneMatch
            ? try acquireConditional(site: site, command: command, options: options, lease: lease)
            : try acquireByListing(site: site, command: command, options: options, lease: lease)
        if let previous = lock.tookOverFrom { options.onExpiredLease?(previous.holder) }
        lock.startHeartbeat()
        // Registers that started before this lock was taken may still rely on objects it
        // would delete: wait for their shared locks to go (heartbeat running meanwhile).
        do { try lock.waitForSharedHolders(options: options, start: start) } catch {
            lock.release()
            throw error
        }
        return lock
    }

    /// The holder of `locks/exclusive` (or the oldest valid fallback record) while its lease
    /// holds; nil when the repository is not locked.
    public static func currentHolder(site: BucketLockSite) throws -> BucketLockRecord? {
        try validRecords(site: site).first?.record
    }

    /// Stops the heartbeat and deletes the lock object while it still holds this token (idempotent).
    public func release() {
        condition.lock()
        if released {
            condition.unlock()
            return
        }
        released = true
        stopped = true
        condition.broadcast()
        let done = heartbeatDone
        condition.unlock()
        done?.wait()
        condition.lock()
        let etag = self.etag
        let lost = lostLock
        condition.unlock()
        guard !lost else { return }
        let client = site.storage.client
        if site.writes.ifMatch, let etag, !etag.isEmpty {
            _ = try? client.deleteObject(key, ifMatch: etag)
        } else if let found = try? client.getVersioned(key), BucketLockRecord.decode(found.body)?.token == record.token {
            try? client.deleteObject(key)
        }
    }

    // MARK: - Taking it

    private static func acquireConditional(site: BucketLockSite, command: String, options: RepositoryLock.Options,
                                           lease: Double) throws -> BucketLock {
        let client = site.storage.client
        let key = site.exclusiveKey
        let start = Date()
        var announced = false
        while true {
            let record = BucketLockRecord.current(command: command, repositoryID: site.repositoryID, lease: lease)
            if let etag = try client.putObject(key, try record.encoded(), condition: .absent) {
                return BucketLock(site: site, key: key, record: record, etag: etag, tookOverFrom: nil)
            }
            guard let found = try client.getVersioned(key) else { continue }  // released meanwhile
            let holder = BucketLockRecord.decode(found.body)
            if isExpired(found, holder, defaultLease: lease) {
                if site.writes.ifMatch, let stale = found.etag {
                    if let etag = try client.putObject(key, try record.encoded(), condition: .matching(etag: stale)) {
                        return BucketLock(site: site, key: key, record: record, etag: etag, tookOverFrom: holder ?? unreadable(found))
                    }
                } else {
                    try client.deleteObject(key)
                    if let etag = try client.putObject(key, try record.encoded(), condition: .absent) {
                        return BucketLock(site: site, key: key, record: record, etag: etag, tookOverFrom: holder ?? unreadable(found))
                    }
                }
                continue
            }
            try wait(site: site, holder: holder, start: start, announced: &announced, options: options)
        }
    }

    private static func acquireByListing(site: BucketLockSite, command: String, options: RepositoryLock.Options,
                                         lease: Double) throws -> BucketLock {
        let client = site.storage.client
        let start = Date()
        var announced = false
        while true {
            let record = BucketLockRecord.current(command: command, repositoryID: site.repositoryID, lease: lease)
            let key = site.locksPrefix + "exclusive-" + record.token
            try client.putObject(key, try record.encoded())
            let (valid, expired) = try records(site: site)
            var tookOver: BucketLockRecord?
            for stale in expired {
                try client.deleteObject(stale.key)
                tookOver = tookOver ?? stale.record
            }
            if valid.first?.key == key {
                // Wait, then look again: a contender that made its record before ours but
                // whose PUT was answered after our listing must be seen (restic does the same).
                Thread.sleep(forTimeInterval: settleInterval)
                if try records(site: site).valid.first?.key == key {
                    return BucketLock(site: site, key: key, record: record, etag: nil, tookOverFrom: tookOver)
                }
            }
            try client.deleteObject(key)
            let holder = valid.first { $0.key != key }?.record
            try wait(site: site, holder: holder, start: start, announced: &announced, options: options)
        }
    }

    /// Throws ``WarrenError/lockHeld(path:holder:waited:)`` when the timeout is over; else
    /// announces the wait once and sleeps a poll interval.
    static func wait(site: BucketLockSite, holder: BucketLockRecord?, start: Date, announced: inout Bool,
                             options: RepositoryLock.Options) throws {
        let waited = Date().timeIntervalSince(start)
        if waited >= options.timeout {
            throw WarrenError.lockHeld(path: site.description, holder: holder?.holder, waited: options.timeout > 0 ? waited : 0)
        }
        if !announced {
            announced = true
            options.onWait?(holder?.holder)
        }
        Thread.sleep(forTimeInterval: min(pollInterval, max(0.001, options.timeout - waited)))
    }

    /// Whether the lease of the record read in `found` has run out: `Last-Modified` plus its
    /// lease is past the server's `Date`; without those headers, its `expires_at` is past
    /// this host's clock. An unreadable record has the default lease. A record of a process
    /// on this host that is gone (SIGKILLed, crashed) counts as expired at once, as the local
    /// lock's does: otherwise a killed `prune` kept every later one out for a whole lease.
    static func isExpired(_ found: S3Client.Versioned, _ record: BucketLockRecord?, defaultLease: Double) -> Bool {
        if let record, !record.holder.isAlive { return true }
        let lease = record?.leaseSeconds ?? defaultLease
        if let modified = found.lastModified, let now = found.serverDate {
            return now.timeIntervalSince(modified) >= lease
        }
        guard let expires = record.flatMap({ Timestamp.parse($0.expiresAt) }) else { return false }
        return expires <= Date()
    }

    /// A stand-in record for a lock object that is not a lock record (damaged or foreign).
    private static func unreadable(_ found: S3Client.Versioned) -> BucketLockRecord {
        let when = BucketLockRecord.format(found.lastModified ?? Date(timeIntervalSince1970: 0))
        return BucketLockRecord(host: "unknown", pid: 0, command: "unknown", repositoryId: "", createdAt: when, refreshedAt: when,
                                expiresAt: when, leaseSeconds: 0, token: "")
    }

    /// Every lock object of `kind` under `locks/`: those whose lease holds, oldest first
    /// (created, then token), and those whose lease ran out.
    static func records(site: BucketLockSite, kind: Kind = .exclusive) throws
        -> (valid: [(key: String, record: BucketLockRecord)], expired: [(key: String, record: BucketLockRecord)]) {
        let client = site.storage.client
        var valid: [(key: String, record: BucketLockRecord)] = []
        var expired: [(key: String, record: BucketLockRecord)] = []
        for listed in try client.listObjects(prefix: site.locksPrefix) {
            let name = listed.key.dropFirst(site.locksPrefix.count)
            guard kind.names(name) else { continue }
            guard let found = try client.getVersioned(listed.key) else { continue }
            let record = BucketLockRecord.decode(found.body) ?? unreadable(found)
            if isExpired(found, BucketLockRecord.decode(found.body), defaultLease: defaultLease) {
                expired.append((listed.key, record))
            } else {
                valid.append((listed.key, record))
            }
        }
        valid.sort { ($0.record.createdAt, $0.record.token) < ($1.record.createdAt, $1.record.token) }
        return (valid, expired)
    }

    private static func validRecords(site: BucketLockSite) throws -> [(key: String, record: BucketLockRecord)] {
        try records(site: site).valid
    }

    // MARK: - The heartbeat

    /// Refreshes the record every lease/3 until ``release()``.
    func startHeartbeat() {
        let done = DispatchSemaphore(value: 0)
        condition.lock()
        heartbeatDone = done
        condition.unlock()
        let interval = max(record.leaseSeconds / 3, 0.05)
        let thread = Thread { [self] in
            defer { done.signal() }
            while true {
                condition.lock()
                let deadline = Date().addingTimeInterval(interval)
                while !stopped, Date() < deadline { _ = condition.wait(until: deadline) }
                let stop = stopped || lostLock
                condition.unlock()
                if stop { return }
                refresh()
            }
        }
        thread.name = "warren-bucket-lock-heartbeat"
        thread.start()
    }

    /// One refresh: a PUT of the record with a new `refreshed_at`, only while the object is
    /// still this holder's (`If-Match` on its ETag, else a GET that checks the token). A
    /// failed request is tried again at the next beat; a lock found taken is given up.
    private func refresh() {
        condition.lock()
        let next = current.refreshed()
        let etag = self.etag
        condition.unlock()
        let client = site.storage.client
        guard let body = try? next.encoded() else { return }
        let sentAt = Date()
        var newTag: String?
        var lost = false
        do {
            if site.writes.ifMatch, let etag, !etag.isEmpty {
                newTag = try client.putObject(key, body, condition: .matching(etag: etag))
                lost = newTag == nil
            } else {
                let found = try client.getVersioned(key)
                if found.flatMap({ BucketLockRecord.decode($0.body) })?.token == record.token {
                    newTag = try client.putObject(key, body, condition: .none)
                } else {
                    lost = true
                }
            }
        } catch {
            return
        }
        condition.lock()
        if lost { lostLock = true }
        if let newTag {
            self.etag = newTag
            current = next
            renewedAt = sentAt
        }
        condition.unlock()
    }
}
