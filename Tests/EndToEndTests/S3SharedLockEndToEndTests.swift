import Foundation
import Testing
@testable import WarrenCore

/// Issue 11: the shared locks of an S3 repository. A register holds `locks/shared-<token>`
/// while it runs; a prune, forget, gc or check on another host waits for it (or refuses), so
/// that no object the register found already stored, and so did not upload, is deleted under
/// it. Against a real SeaweedFS; the register is held at a fixed point by the test seam, not
/// by timing.
@Suite(.serialized) struct S3SharedLockEndToEndTests {
    static func errorCode(_ result: CommandResult) -> String? { S3RepositoryEndToEndTests.errorCode(result) }
    static func object(_ result: CommandResult) -> [String: Any]? { S3RepositoryEndToEndTests.object(result) }
    static func ids(_ result: CommandResult) -> [Int] { S3RepositoryEndToEndTests.ids(result) }

    /// In process, in each lock mode: shared locks never block each other; an exclusive lock
    /// waits for (or refuses on) a live shared one, naming it, and clears a dead one's; a
    /// shared lock refuses while an exclusive one is held.
    @Test func sharedLocksHoldOffDeletersAndNotEachOther() throws {
        try SeaweedServer.with("s3-shared-unit") { server in
            let probed = try server.storage(prefix: "probe").probeWriteConditions()
            for mode in [probed, S3ConditionalWrites(ifNoneMatch: true, ifMatch: false), S3ConditionalWrites(ifNoneMatch: false, ifMatch: false)] {
                let site = BucketLockSite(storage: server.storage(prefix: "shared-\(mode.ifNoneMatch)-\(mode.ifMatch)"), repositoryID: "r1", writes: mode)
                let one = try BucketLock.acquireShared(site: site, command: "register", options: .init(timeout: 0))
                let two = try BucketLock.acquireShared(site: site, command: "backup", options: .init(timeout: 0))
                #expect(Set(try BucketLock.sharedHolders(site: site).map(\.token)) == [one.record.token, two.record.token], "\(mode)")
                #expect(try BucketLock.currentHolder(site: site) == nil, "\(mode): shared locks are not the exclusive one")
                do {
                    _ = try BucketLock.acquire(site: site, command: "gc", options: .init(timeout: 0))
                    Issue.record("\(mode): gc took the exclusive lock while registers ran")
                } catch let WarrenError.lockHeld(path, holder, _) {
                    #expect(path == site.description)
                    #expect([one.record.holder, two.record.holder].contains(holder), "\(mode): \(String(describing: holder))")
                }
                #expect(try BucketLock.currentHolder(site: site) == nil, "\(mode): the refused gc released its exclusive lock")
                one.release()
                two.release()
                #expect(try server.client().listObjects(prefix: site.locksPrefix).isEmpty, "\(mode)")

                // A shared lock left by a process that is gone does not hold a prune off: it is removed.
                let dead = S3LockEndToEndTests.foreignRecord(host: LockHolder.hostName, pid: Self.deadPID(), command: "register", lease: 3600,
                                                             repositoryID: "r1")
                try server.client().putObject(site.locksPrefix + "shared-" + dead.token, try dead.encoded())
                let exclusive = try BucketLock.acquire(site: site, command: "prune", options: .init(timeout: 0))
                #expect(try BucketLock.sharedHolders(site: site).isEmpty, "\(mode)")
                do {
                    _ = try BucketLock.acquireShared(site: site, command: "register", options: .init(timeout: 0))
                    Issue.record("\(mode): a register took a shared lock during a prune")
                } catch let WarrenError.lockHeld(_, holder, _) {
                    #expect(holder == exclusive.record.holder, "\(mode)")
                }
                #expect(try BucketLock.sharedHolders(site: site).isEmpty, "\(mode): the refused register left no record")
                exclusive.release()
                #expect(try server.client().listObjects(prefix: site.locksPrefix).isEmpty, "\(mode)")
            }
        }
    }

    /// A pid no process has: the highest one that /proc does not list.
    static func deadPID() -> Int32 {
        var pid: Int32 = 4_194_000
        while kill(pid, 0) == 0 || errno != ESRCH { pid -= 1 }
        return pid
    }

    /// The race the shared lock closes: host B registers a tree whose every object is in the
    /// bucket already (a backup host A made), so B uploads nothing and relies on A's objects.
    /// Held after its first files, B holds a shared lock: A's forget, gc (no safety window) and
    /// check refuse at once, naming B's register, and delete nothing. A forget with a lock
    /// timeout waits for B and runs once B is done; then a gc frees nothing (every object is
    /// B's too), and B's backup verifies `--full` from both hosts with `check` clean.
    @Test func pruneAndGCWaitForARegisterThatDeduplicated() throws {
        let work = NSTemporaryDirectory() + "warren-s3shared-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-shared") { server in
            let prefix = "shared/dedup"
            let url = server.location(prefix: prefix).description
            let hostA = S3RepositoryEndToEndTests.host(server, cache: work + "/cache-a")
            let hostB = S3RepositoryEndToEndTests.host(server, cache: work + "/cache-b")
            let client = server.client()
            #expect(try Warren.run(["init"], repo: url, environment: hostA).status == 0)
            try SyntheticBackup.make(at: work + "/tree", uniqueFiles: 6, uniqueBytes: 300 << 10)
            let first = try Warren.run(["register", work + "/tree", "--node", "rabbit@c", "--json"], repo: url, environment: hostA)
            let firstID = try #require(Self.object(first)?["id"] as? Int, "\(first.stdout) \(first.stderr)")
            #expect(try Warren.run(["list"], repo: url, environment: hostB).status == 0)

            let release = work + "/release"
            let held = try Spawned(["register", work + "/tree", "--node", "rabbit@c", "--json", "--repo", url],
                                   environment: hostB.merging(["WARREN_TEST_HOLD_AFTER_FILES": "3", "WARREN_TEST_HOLD_RELEASE_FILE": release]) { $1 })
            #expect(held.waitForStderr(containing: "warren: test hold"), "B's register reached its hold")
            let shared = try client.listObjects(prefix: prefix + "/locks/").map(\.key)
            #expect(shared.count == 1 && shared.allSatisfy { $0.hasPrefix(prefix + "/locks/shared-") }, "\(shared)")
            // (Encrypted: pack indexes are sealed, so the stored keys are compared, not the members.)
            func stored() throws -> Set<String> {
                Set(try ["objects/", "packs/", "pack-indexes/"].flatMap { try client.listObjects(prefix: prefix + "/" + $0).map(\.key) })
            }
            let objects = try stored()
            #expect(!objects.isEmpty)
            for arguments in [["forget", String(firstID)], ["gc", "--safety-window", "0"], ["check"]] {
                let refused = try Warren.run(arguments + ["--lock-timeout", "0", "--json"], repo: url, environment: hostA)
                #expect(refused.status == 8 && Self.errorCode(refused) == "lock_held", "\(arguments): \(refused.stdout) \(refused.stderr)")
                #expect(refused.stderr.contains("pid \(held.pid) on host \(LockHolder.hostName), running `warren register`"),
                        "\(arguments): \(refused.stderr)")
            }
            #expect(try stored() == objects, "nothing deleted")
            #expect(Self.ids(try Warren.run(["list", "--json"], repo: url, environment: hostA)) == [firstID])

            let forget = try Spawned(["forget", String(firstID), "--lock-timeout", "600", "--json", "--repo", url], environment: hostA)
            #expect(forget.waitForStderr(containing: "waiting up to 600 s for the repository lock held by pid \(held.pid)"), "the forget waits for B")
            #expect(FileManager.default.createFile(atPath: release, contents: Data()))
            let registered = held.wait(killingAfter: 600)
            #expect(registered.status == 0, "\(registered.stdout) \(registered.stderr)")
            let secondID = try #require(Self.object(registered)?["id"] as? Int)
            #expect(Self.object(registered)?["added_objects"] as? Int == 0, "B uploaded nothing: \(registered.stdout)")
            let forgot = forget.wait(killingAfter: 600)
            #expect(forgot.status == 0, "\(forgot.stdout) \(forgot.stderr)")

            let collected = try Warren.run(["gc", "--safety-window", "0", "--json"], repo: url, environment: hostA)
            #expect(collected.status == 0 && Self.object(collected)?["freed_objects"] as? Int == 0, "\(collected.stdout) \(collected.stderr)")
            #expect(try client.listObjects(prefix: prefix + "/locks/").isEmpty)
            for (who, env) in [("host A", hostA), ("host B", hostB)] {
                #expect(Self.ids(try Warren.run(["list", "--json"], repo: url, environment: env)) == [secondID], "\(who)")
                let verified = try Warren.run(["verify", String(secondID), "--full", "--json"], repo: url, environment: env)
                #expect(verified.status == 0 && !verified.stdout.contains("\"object_"), "\(who): \(verified.stdout) \(verified.stderr)")
                let checked = try Warren.run(["check", "--json"], repo: url, environment: env)
                #expect(checked.status == 0 && !checked.stdout.contains("object_missing"), "\(who): \(checked.stdout) \(checked.stderr)")
            }
        }
    }
}
