import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// The repository lock between real processes: two registers at once, readers while a
/// prune holds the lock, and the lock of a killed writer taken over.
@Suite(.serialized) struct LockingEndToEndTests {
    /// A backup whose register takes a while (64 MiB in 32 files) and a small one.
    static func sources(_ work: String) throws -> (big: String, small: String) {
        try SyntheticBackup.make(at: work + "/big", uniqueFiles: 32, uniqueBytes: 2 << 20)
        try SyntheticBackup.make(at: work + "/small", uniqueFiles: 2)
        return (work + "/big", work + "/small")
    }

    /// Deterministic (issue 12 §4): the lock is held by a helper process that waits on a
    /// pipe, not by a register assumed to be still busy after two more process starts.
    @Test func aRegisterWhileTheLockIsHeldFailsClearlyAndWritersThatWaitGoOnOnceItIsFree() throws {
        let work = NSTemporaryDirectory() + "warren-lock-reg-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--no-encryption", "--repo", repo])
        let (big, small) = try Self.sources(work)

        let holder = try LockHolderProcess(repo: repo, command: "register")
        let second = try Warren.run(["register", small, "--node", "rabbit@a"], repo: repo)
        #expect(second.status == 8)
        for part in ["locked by pid \(holder.pid)", "on host \(LockHolder.hostName)", "`warren register`", "since 20", "--lock-timeout"] {
            #expect(second.stderr.contains(part), "message lacks '\(part)': \(second.stderr)")
        }
        let secondJSON = try Warren.run(["register", small, "--node", "rabbit@a", "--json"], repo: repo)
        #expect(secondJSON.status == 8 && secondJSON.stdout.contains("\"lock_held\""))
        #expect(try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]]).isEmpty, "a refused register recorded a backup")

        // Writers that wait: each says whom it waits for, and cannot finish while the lock is held.
        let waitingRegister = try Spawned(["register", big, "--node", "rabbit@a", "--lock-timeout", "600", "--repo", repo])
        let waitingGC = try Spawned(["gc", "--lock-timeout", "600", "--repo", repo])
        for waiting in [waitingRegister, waitingGC] {
            #expect(waiting.waitForStderr(containing: "waiting up to 600 s for the repository lock held by pid \(holder.pid)"),
                    "\(waiting.process.arguments ?? []) did not say it waits: \(waiting.wait().stderr)")
            #expect(waiting.process.isRunning, "a writer finished while the lock was held")
        }
        #expect(try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]]).isEmpty, "a waiting register wrote before the lock was free")

        holder.release()
        let registered = waitingRegister.wait()
        #expect(registered.status == 0, "\(registered.stderr)")
        #expect(!registered.stderr.contains("took over"), "a released lock is not a takeover: \(registered.stderr)")
        #expect(waitingGC.wait().status == 0)
        let retried = try Warren.run(["register", small, "--node", "rabbit@a"], repo: repo)
        #expect(retried.status == 0, "\(retried.stderr)")
        let list = try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]])
        #expect(list.count == 2 && list.allSatisfy { $0["state"] as? String == "complete" })
        for row in list {
            #expect(try Warren.run(["verify", String(row["id"] as! Int), "--full"], repo: repo).status == 0)
        }
        #expect(try Warren.run(["check"], repo: repo).status == 0)
    }

    @Test func readersRunWhilePruneHoldsTheLock() throws {
        let work = NSTemporaryDirectory() + "warren-lock-read-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--no-encryption", "--repo", repo])
        let (_, small) = try Self.sources(work)
        let real = Int64(try Command.check(Warren.binary, ["register", small, "--node", "rabbit@a", "--repo", repo])
            .trimmingCharacters(in: .whitespacesAndNewlines))!
        // 400 more backups of another node, 2,000 manifest rows each, sharing the real one's objects.
        let repository = try Repository.open(at: repo)
        try repository.catalog.write { db in
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
                INSERT INTO backup (node, taken_at, created_at, completed_at, state, source, definitions_sha256, file_count)
                SELECT 'rabbit@bulk', strftime('%Y-%m-%dT%H:%M:%SZ', '2024-01-01', '+' || i || ' hours'), '2024-01-01T00:00:00Z',
                       '2024-01-01T00:00:00Z', 'complete', 'register', b.definitions_sha256, 2000
                FROM n, backup b WHERE b.id = ?;
                WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 2000)
                INSERT INTO manifest_file (backup_id, path, size, sha256, kind)
                SELECT b.id, 'bulk/' || k.j, m.size, m.sha256, 'other'
                FROM backup b, k, (SELECT size, sha256 FROM manifest_file WHERE backup_id = ? LIMIT 1) m
                WHERE b.node = 'rabbit@bulk';
                """, arguments: [real, real])
        }

        // Backups made by SQL have no manifest: write them as an upgrade would, so that the
        // repository is whole (check at the end finds nothing).
        let upgraded = try Warren.run(["catalog", "upgrade"], repo: repo)
        #expect(upgraded.status == 0, "\(upgraded.stderr)")

        // 1. The lock held (as a prune would): readers run, writers are refused naming the holder.
        let held = try RepositoryLock.acquire(repository: repository, command: "prune")
        for reader in [["list"], ["show", String(real)], ["verify", String(real), "--full"], ["diff", String(real), String(real)]] {
            let result = try Warren.run(reader, repo: repo)
            #expect(result.status == 0, "\(reader): \(result.stderr)")
        }
        for writer in [["prune", "--keep-last", "1"], ["gc"], ["register", small, "--node", "rabbit@a"]] {
            let result = try Warren.run(writer, repo: repo)
            #expect(result.status == 8 && result.stderr.contains("`warren prune`"), "\(writer): \(result.stderr)")
        }
        held.release()

        // 2. Readers never wait for a writer's transaction (WAL), shown deterministically: a
        // write transaction is held open on the catalog, as a long prune's deletion holds it,
        // and readers must finish while it is still open (a blocked reader would give up after
        // the busy time-out and fail).
        let writer = try DatabaseQueue(path: repo + "/catalog.sqlite")
        try writer.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "DELETE FROM manifest_file WHERE backup_id <> ?", arguments: [real])
            for reader in [["list", "--limit", "1"], ["show", String(real)], ["diff", String(real), String(real)]] {
                let result = try Warren.run(reader, repo: repo)
                #expect(result.status == 0 && !result.stdout.isEmpty, "\(reader) while a write transaction is open: \(result.stderr)")
            }
            #expect(db.isInsideTransaction, "the write transaction ended before the readers ran")
            try db.execute(sql: "ROLLBACK")
        }

        // 3. A real prune deleting 399 × 2,000 manifest rows, with a `verify --full` started
        // beside it (its verdict write waits for the deletion transaction, then succeeds).
        let prune = try Spawned(["prune", "--keep-last", "1", "--repo", repo])
        #expect(prune.waitUntilHoldingLock(of: repo))
        let verify = try Spawned(["verify", String(real), "--full", "--repo", repo])
        let list = try Warren.run(["list", "--limit", "1"], repo: repo)
        #expect(list.status == 0 && list.stdout.contains("rabbit@"), "\(list.stderr)")
        let pruned = prune.wait()
        #expect(pruned.status == 0, "\(pruned.stderr)")
        let verified = verify.wait()
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        #expect(try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]]).count == 2)
        #expect(try Warren.run(["check"], repo: repo).status == 0)
    }

    @Test func aKilledWritersLockIsTakenOverAndItsBackupMarkedFailed() throws {
        let work = NSTemporaryDirectory() + "warren-lock-kill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--no-encryption", "--repo", repo])
        let (big, small) = try Self.sources(work)
        try Command.check(Warren.binary, ["register", small, "--node", "rabbit@a", "--repo", repo])

        // Killed while its backup is in progress, deterministically: the register is run in
        // slices and looked at while stopped (not "still busy 100 ms later").
        let doomed = try Spawned(["register", big, "--node", "rabbit@a", "--repo", repo])
        #expect(doomed.waitUntilHoldingLock(of: repo))
        let catalog = try DatabaseQueue(path: repo + "/catalog.sqlite", configuration: { var c = Configuration(); c.readonly = true; return c }())
        let inProgress = try ProcessStepper.stopWhen(doomed.pid, reached: {
            try catalog.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM backup WHERE state = 'in_progress'") } == 1
        }, overshot: {
            try catalog.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM backup WHERE state = 'complete'") } ?? 0 > 1
        })
        #expect(inProgress, "the register never showed an in_progress backup")
        doomed.sigkill()
        #expect(doomed.wait().status == 137)

        let report = try #require(try JSONSerialization.jsonObject(with: Data(try Warren.run(["check", "--dry-run", "--json"], repo: repo).stdout.utf8)) as? [String: Any])
        let codes = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("backup_interrupted"), "\(codes)")
        #expect(!codes.contains("object_missing"))

        let gc = try Warren.run(["gc"], repo: repo)
        #expect(gc.status == 0)
        #expect(gc.stderr.contains("took over the repository lock left by pid \(doomed.pid)") && gc.stderr.contains("`warren register`"), "\(gc.stderr)")
        let repaired = try Warren.run(["check"], repo: repo)
        #expect(repaired.status == 1 && repaired.stdout.contains("marked failed"), "\(repaired.stdout)")
        #expect(try Warren.run(["check"], repo: repo).status == 0)
        let list = try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]])
        #expect(list.compactMap { $0["state"] as? String }.sorted() == ["complete", "failed"])
        let pruned = try #require(try Warren.json(["prune", "--keep-last", "5"], repo: repo) as? [String: Any])
        #expect(pruned["removed_count"] as? Int == 1, "a failed backup matches no rule")
    }
}
