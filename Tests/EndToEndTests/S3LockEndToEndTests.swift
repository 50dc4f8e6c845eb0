import Foundation
import Testing
@testable import WarrenCore

/// Issue 11, slice 3: the exclusive lock object in the bucket, and prune / forget / gc on an
/// s3: repository, against a real SeaweedFS. Locks held by "another host" are lock objects
/// this test writes itself (a record with a long lease, or one whose lease has run out), so
/// nothing depends on timing.
@Suite(.serialized) struct S3LockEndToEndTests {
    static func errorCode(_ result: CommandResult) -> String? { S3RepositoryEndToEndTests.errorCode(result) }
    static func object(_ result: CommandResult) -> [String: Any]? { S3RepositoryEndToEndTests.object(result) }
    static func ids(_ result: CommandResult) -> [Int] { S3RepositoryEndToEndTests.ids(result) }

    /// A lock record as another host's process would write it.
    static func foreignRecord(host: String, pid: Int32, command: String = "prune", lease: Double, repositoryID: String) -> BucketLockRecord {
        var record = BucketLockRecord.current(command: command, repositoryID: repositoryID, lease: lease)
        record.host = host
        record.pid = pid
        return record
    }

    @Test func bucketLockThenPruneForgetAndGCOnS3() throws {
        let work = NSTemporaryDirectory() + "warren-s3lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-lock") { server in
            let prefix = "locked/fleet"
            let url = server.location(prefix: prefix).description
            let env = S3RepositoryEndToEndTests.host(server, cache: work + "/cache")
            let client = server.client()
            let lockKey = prefix + "/locks/exclusive"

            // init probes the server's conditional writes and records them in config.
            let created = try Warren.run(["init", "--no-encryption", "--json"], repo: url, environment: env)
            #expect(created.status == 0, "\(created.stdout) \(created.stderr)")
            let config = try #require(try RepositoryConfig.load(from: server.storage(prefix: prefix)))
            #expect(config.s3ConditionalWrites == S3ConditionalWrites(ifNoneMatch: true, ifMatch: true))
            #expect(try client.listObjects(prefix: prefix + "/tmp/").isEmpty, "the probe object is deleted")

            // Three backups of one node.
            for (n, day) in ["2026-01-01", "2026-01-02", "2026-01-03"].enumerated() {
                try SyntheticBackup.make(at: work + "/b\(n)", uniqueFiles: 2)
                let registered = try Warren.run(["register", work + "/b\(n)", "--node", "rabbit@a", "--taken-at", day + "T00:00:00Z"],
                                                repo: url, environment: env)
                #expect(registered.status == 0, "\(registered.stderr)")
            }

            // Another host holds the lock: prune and gc fail at once, naming it; the object is untouched.
            let held = try Self.foreignRecord(host: "mq-other", pid: 4242, lease: 3600, repositoryID: config.id).encoded()
            #expect(try client.putObject(lockKey, held, condition: .absent) != nil)
            for arguments in [["prune", "--keep-last", "1"], ["gc"], ["forget", "1"], ["check"]] {
                let refused = try Warren.run(arguments + ["--lock-timeout", "0", "--json"], repo: url, environment: env)
                #expect(refused.status == 8 && Self.errorCode(refused) == "lock_held", "\(arguments): \(refused.stdout) \(refused.stderr)")
                #expect(refused.stderr.contains("pid 4242 on host mq-other, running `warren prune`"), "\(arguments): \(refused.stderr)")
                #expect(refused.stderr.contains(url), "\(arguments): \(refused.stderr)")
            }
            #expect(try client.getObject(lockKey) == held)
            #expect(Self.ids(try Warren.run(["list", "--json"], repo: url, environment: env)) == [1, 2, 3])

            // A register does not run while another host prunes (the prune could delete objects
            // it finds stored and counts on): refused at once with --lock-timeout 0, naming the
            // holder, with nothing written and no shared lock left behind.
            try SyntheticBackup.make(at: work + "/b3", uniqueFiles: 2)
            let objectsHeld = try server.storedObjects(prefix: prefix).count
            let during = try Warren.run(["register", work + "/b3", "--node", "rabbit@a", "--taken-at", "2026-01-04T00:00:00Z", "--lock-timeout", "0", "--json"],
                                        repo: url, environment: env)
            #expect(during.status == 8 && Self.errorCode(during) == "lock_held", "\(during.stdout) \(during.stderr)")
            #expect(during.stderr.contains("pid 4242 on host mq-other, running `warren prune`"), "\(during.stderr)")
            #expect(try server.storedObjects(prefix: prefix).count == objectsHeld)
            #expect(try client.listObjects(prefix: prefix + "/locks/").map(\.key) == [lockKey])

            // --lock-timeout waits: a gc started while the lock is held says whom it waits
            // for, and runs once the holder's object is gone.
            let waiting = try Spawned(["gc", "--lock-timeout", "300", "--json", "--repo", url], environment: env)
            #expect(waiting.waitForStderr(containing: "waiting up to 300 s for the repository lock held by pid 4242 on host mq-other"))
            #expect(waiting.process.isRunning)
            try client.deleteObject(lockKey)
            let waited = waiting.wait(killingAfter: 300)
            #expect(waited.status == 0, "\(waited.stdout) \(waited.stderr)")
            #expect(try client.getObject(lockKey) == nil, "released")
            let after = try Warren.run(["register", work + "/b3", "--node", "rabbit@a", "--taken-at", "2026-01-04T00:00:00Z", "--lock-timeout", "0"],
                                       repo: url, environment: env)
            #expect(after.status == 0, "\(after.stderr)")
            #expect(try client.listObjects(prefix: prefix + "/locks/").isEmpty, "the register's shared lock is released")

            // The holder's lease has run out: prune takes the lock over, says so, prunes, releases.
            let expired = try Self.foreignRecord(host: "mq-dead", pid: 4343, lease: 0, repositoryID: config.id).encoded()
            try client.putObject(lockKey, expired)
            let objectsBefore = try server.storedObjects(prefix: prefix).count
            let pruned = try Warren.run(["prune", "--keep-last", "1", "--json"], repo: url, environment: env)
            #expect(pruned.status == 0, "\(pruned.stdout) \(pruned.stderr)")
            #expect(pruned.stderr.contains("took over the bucket's lock object left by pid 4343 on host mq-dead"), "\(pruned.stderr)")
            let report = try #require(Self.object(pruned))
            #expect(report["removed_count"] as? Int == 3, "\(pruned.stdout)")
            let freed = try #require(report["freed_objects"] as? Int)
            #expect(freed >= 6, "each removed backup had 2 unique files: \(pruned.stdout)")
            #expect(try server.storedObjects(prefix: prefix).count == objectsBefore - freed)
            #expect(try client.getObject(lockKey) == nil, "released")
            #expect(Self.ids(try Warren.run(["list", "--json"], repo: url, environment: env)) == [4])
            let verified = try Warren.run(["verify", "4", "--full", "--json"], repo: url, environment: env)
            #expect(verified.status == 0 && !verified.stdout.contains("\"object_"), "\(verified.stdout) \(verified.stderr)")
            // The removed manifests are gone from the bucket (tombstoned, then deleted).
            #expect(try client.listObjects(prefix: prefix + "/manifests/").map(\.key) == [prefix + "/manifests/" + String(format: "%020d", 4)])

            // forget on S3, through the lock.
            try SyntheticBackup.make(at: work + "/b4", uniqueFiles: 1)
            #expect(try Warren.run(["register", work + "/b4", "--node", "rabbit@b"], repo: url, environment: env).status == 0)
            let forgot = try Warren.run(["forget", "5", "--json"], repo: url, environment: env)
            #expect(forgot.status == 0, "\(forgot.stdout) \(forgot.stderr)")
            #expect(Self.ids(try Warren.run(["list", "--json"], repo: url, environment: env)) == [4])

            // gc: a young unreferenced object (another host's register uploading it) survives
            // the default safety window; with a window of 0 it is deleted.
            let orphanBytes = Array("an object no manifest names yet \(UUID())".utf8)
            let orphanID = orphanBytes.withUnsafeBytes { ObjectStore.digest($0) }
            let orphanKey = prefix + "/objects/" + orphanID.hex.prefix(2) + "/" + orphanID.hex
            try client.putObject(orphanKey, orphanBytes)
            let dry = try Warren.run(["gc", "--dry-run", "--json"], repo: url, environment: env)
            #expect(dry.status == 0 && Self.object(dry)?["young_objects_kept"] as? Int == 1, "\(dry.stdout) \(dry.stderr)")
            let kept = try Warren.run(["gc", "--json"], repo: url, environment: env)
            #expect(kept.status == 0, "\(kept.stdout) \(kept.stderr)")
            #expect(Self.object(kept)?["young_objects_kept"] as? Int == 1 && Self.object(kept)?["freed_objects"] as? Int == 0, "\(kept.stdout)")
            #expect(try client.headObject(orphanKey) == Int64(orphanBytes.count))
            let collected = try Warren.run(["gc", "--safety-window", "0", "--json"], repo: url, environment: env)
            #expect(collected.status == 0 && Self.object(collected)?["freed_objects"] as? Int == 1, "\(collected.stdout) \(collected.stderr)")
            #expect(try client.headObject(orphanKey) == nil)
            #expect(try Warren.run(["verify", "4", "--full"], repo: url, environment: env).status == 0)
            #expect(try client.getObject(lockKey) == nil)

            // check on S3: clean now; an object of backup 4 deleted from the bucket is found missing.
            let clean = try Warren.run(["check", "--json"], repo: url, environment: env)
            #expect(clean.status == 0, "\(clean.stdout) \(clean.stderr)")
            #expect(try client.getObject(lockKey) == nil)
            // (Its small files are packed: the pack holding them is deleted, its index left.)
            let victim = try #require(try client.listObjects(prefix: prefix + "/packs/").first?.key)
            let members = Set(try server.packMembers(prefix: prefix, pack: String(victim.split(separator: "/").last ?? "")))
            try client.deleteObject(victim)
            let damaged = try Warren.run(["check", "--dry-run", "--json"], repo: url, environment: env)
            #expect(damaged.status == 1, "\(damaged.stdout) \(damaged.stderr)")
            let findings = (Self.object(damaged)?["findings"] as? [[String: Any]]) ?? []
            #expect(!findings.isEmpty && findings.allSatisfy { $0["code"] as? String == "object_missing" }, "\(damaged.stdout)")
            #expect(findings.allSatisfy { members.contains($0["object"] as? String ?? "") }, "\(damaged.stdout) \(members)")
        }
    }

    /// The lock itself, in process: exclusive, released only by its holder, refreshed by its
    /// heartbeat, and the same with the fallback for servers without conditional writes.
    @Test func bucketLockExclusionHeartbeatAndFallback() throws {
        try SeaweedServer.with("s3-lockunit") { server in
            let storage = server.storage(prefix: "unit")
            let writes = try storage.probeWriteConditions()
            #expect(writes == S3ConditionalWrites(ifNoneMatch: true, ifMatch: true))
            for mode in [writes, S3ConditionalWrites(ifNoneMatch: true, ifMatch: false), S3ConditionalWrites(ifNoneMatch: false, ifMatch: false)] {
                let site = BucketLockSite(storage: server.storage(prefix: "unit-\(mode.ifNoneMatch)-\(mode.ifMatch)"), repositoryID: "r1", writes: mode)
                let first = try BucketLock.acquire(site: site, command: "gc")
                #expect(try BucketLock.currentHolder(site: site)?.token == first.record.token, "\(mode)")
                do {
                    _ = try BucketLock.acquire(site: site, command: "prune", options: .init(timeout: 0))
                    Issue.record("\(mode): a second holder got the lock")
                } catch let WarrenError.lockHeld(path, holder, _) {
                    #expect(path == site.description)
                    #expect(holder == first.record.holder, "\(mode)")
                }
                first.release()
                #expect(try BucketLock.currentHolder(site: site) == nil, "\(mode)")
                #expect(try server.client().listObjects(prefix: site.locksPrefix).isEmpty, "\(mode)")

                // An expired lock of a dead holder is taken over and reported.
                let dead = Self.foreignRecord(host: "mq-dead", pid: 7, lease: 0, repositoryID: "r1")
                let deadKey = mode.ifNoneMatch ? site.exclusiveKey : site.locksPrefix + "exclusive-" + dead.token
                try server.client().putObject(deadKey, try dead.encoded())
                let reported = LockedBox<LockHolder?>(nil)
                let second = try BucketLock.acquire(site: site, command: "prune", options: .init(timeout: 0, onExpiredLease: { reported.value = $0 }))
                #expect(second.tookOverFrom?.token == dead.token && reported.value == dead.holder, "\(mode)")
                #expect(try BucketLock.currentHolder(site: site)?.token == second.record.token, "\(mode)")
                second.release()
                #expect(try server.client().listObjects(prefix: site.locksPrefix).isEmpty, "\(mode)")
            }

            // Eight contenders at once on a free lock (conditional create): exactly one gets it.
            // The winner holds it until every contender has tried, so the outcome does not
            // depend on how the attempts interleave.
            for mode in [writes, S3ConditionalWrites(ifNoneMatch: true, ifMatch: false)] {
                let site = BucketLockSite(storage: server.storage(prefix: "race-\(mode.ifMatch)"), repositoryID: "r1", writes: mode)
                let winners = LockedBox<[BucketLock]>([])
                let refusals = LockedBox<Int>(0)
                DispatchQueue.concurrentPerform(iterations: 8) { _ in
                    do {
                        let lock = try BucketLock.acquire(site: site, command: "gc", options: .init(timeout: 0))
                        winners.mutate { $0.append(lock) }
                    } catch WarrenError.lockHeld {
                        refusals.mutate { $0 += 1 }
                    } catch {
                        Issue.record("\(mode): \(error)")
                    }
                }
                #expect(winners.value.count == 1 && refusals.value == 7, "\(mode): \(winners.value.count) winners")
                #expect(try BucketLock.currentHolder(site: site)?.token == winners.value.first?.record.token)
                winners.value.forEach { $0.release() }
                #expect(try server.client().listObjects(prefix: site.locksPrefix).isEmpty)
            }

            // The heartbeat refreshes the record while it is held (lease 0.6 s: every 0.2 s);
            // wait for the event, with a generous bound, not for a fixed time.
            let site = BucketLockSite(storage: storage, repositoryID: "r1", writes: writes)
            let lock = try BucketLock.acquire(site: site, command: "gc", lease: 0.6)
            let deadline = Date().addingTimeInterval(30)
            var refreshed: BucketLockRecord?
            while Date() < deadline {
                if let now = try BucketLockRecord.decode(server.client().getObject(site.exclusiveKey) ?? []), now.refreshedAt != lock.record.refreshedAt {
                    refreshed = now
                    break
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(refreshed?.token == lock.record.token, "the heartbeat rewrote the record")
            lock.release()
            #expect(!lock.isLost)
            #expect(try server.client().getObject(site.exclusiveKey) == nil)

            // A lock lost to another host (its object replaced, as a take-over after a lost
            // lease does) is noticed by the next heartbeat; ensureHeld then refuses to go on.
            // (Lease 3 s: a lock not refreshed for a whole lease counts as lost by itself, and a
            // loaded machine may miss a 0.6 s one.)
            let doomed = try BucketLock.acquire(site: site, command: "gc", lease: 3)
            try doomed.ensureHeld()
            let usurper = Self.foreignRecord(host: "mq-usurper", pid: 99, lease: 3600, repositoryID: "r1")
            try server.client().putObject(site.exclusiveKey, try usurper.encoded())
            let lostBy = Date().addingTimeInterval(30)
            while !doomed.isLost, Date() < lostBy { Thread.sleep(forTimeInterval: 0.05) }
            #expect(doomed.isLost)
            do {
                try doomed.ensureHeld()
                Issue.record("a lost lock was taken for held")
            } catch let WarrenError.lockHeld(_, holder, _) {
                #expect(holder?.host == "mq-usurper")
            }
            doomed.release()
            #expect(try BucketLockRecord.decode(server.client().getObject(site.exclusiveKey) ?? [])?.token == usurper.token,
                    "a lost lock's release leaves the new holder's object alone")
        }
    }
}

/// A value shared with a `@Sendable` callback.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); defer { lock.unlock() }; stored = newValue }
    }
    /// Changes the value under the lock (a read-modify-write that no other thread interleaves).
    func mutate(_ body: (inout T) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&stored)
    }
}
