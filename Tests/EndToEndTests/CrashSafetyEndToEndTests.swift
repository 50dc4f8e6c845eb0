import Foundation
import GRDB
import Testing
import WarrenCore

/// Real SIGKILLs of `warren prune`, a fixed number of runs: after each kill, `warren
/// check` finds nothing missing, `warren verify --full` of every remaining backup passes,
/// and `warren gc` then leaves a clean repository. Runs cycle through three kinds of kill:
/// at a random moment, and (deterministically, by running the prune in slices and looking
/// at the catalog while it is stopped) before its catalog commit and in the middle of its
/// deletions, so that both dangerous windows are hit in every run of the test.
@Suite(.serialized) struct CrashSafetyEndToEndTests {
    /// Exactly this many runs (four of each aim), however slow the machine: the count, not a
    /// time budget, decides when the test is done. `hangGuard` only stops a test that hangs.
    static let runs = 12
    static let hangGuard: TimeInterval = 1800
    /// Unique files per backup: removing two backups unlinks this many objects twice over,
    /// which widens the window between the catalog commit and the last unlink.
    static let uniqueFiles = 250

    enum Aim: CaseIterable {
        case random, beforeCommit, midDeletion
    }

    struct Tally {
        var runs = 0
        var killed = 0
        var beforeCommit = 0          // killed, nothing removed
        var midDeletion = 0           // killed after the catalog commit, deletions still queued
        var completed = 0
    }

    @Test func sigkilledPrunesNeverLoseWhatRemainingBackupsNeed() throws {
        let work = NSTemporaryDirectory() + "warren-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        // Plaintext: prune's crash windows are the same in an encrypted repository
        // (SealedOrphanTests covers its gc), and a key unlock per command only slows the runs.
        try Command.check(Warren.binary, ["init", "--no-encryption", "--repo", repo])
        var hour = 0
        func register() throws -> Int64 {
            hour += 1
            let dir = work + "/src"
            try SyntheticBackup.make(at: dir, uniqueFiles: Self.uniqueFiles, uniqueBytes: 1024)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let time = Timestamp.format(Timestamp.parse("2025-01-01T00:00:00Z")!.addingTimeInterval(Double(hour) * 3600))
            let out = try Command.check(Warren.binary, ["register", dir, "--node", "rabbit@a", "--taken-at", time, "--repo", repo])
            return Int64(out.trimmingCharacters(in: .whitespacesAndNewlines))!
        }
        let pinned = try register()
        try Command.check(Warren.binary, ["pin", String(pinned), "--note", "must survive", "--repo", repo])

        var tally = Tally()
        var typical = 0.15                   // seconds a whole prune takes; refined as runs complete
        let start = Date()
        func goOn() -> Bool { tally.runs < Self.runs && Date().timeIntervalSince(start) < Self.hangGuard }
        while goOn() {
            tally.runs += 1
            _ = try register()
            _ = try register()
            let before = try ids(repo)
            let plan = try #require(try Warren.json(["prune", "--keep-last", "2", "--dry-run"], repo: repo) as? [String: Any])
            let planned = (plan["backups"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "keep" }
                .compactMap { $0["id"] as? Int }.sorted()

            let aim = Aim.allCases[(tally.runs - 1) % Aim.allCases.count]
            let prune = try Spawned(["prune", "--keep-last", "2", "--repo", repo])
            if aim == .random {
                usleep(UInt32(Double.random(in: 0...(typical * 1.3)) * 1_000_000))
            } else {
                // Run the prune in slices, look while it is stopped, kill in the window aimed at.
                let catalog = try DatabaseQueue(path: repo + "/catalog.sqlite", configuration: { var c = Configuration(); c.readonly = true; return c }())
                func counts() throws -> (backups: Int, queued: Int) {
                    // A read-only reader beside a writer frozen by SIGSTOP can get SQLITE_PROTOCOL
                    // (no usable WAL read mark) on a loaded machine: SQLite says to retry it.
                    for attempt in 1... {
                        do {
                            return try catalog.read { db in
                                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM backup")!, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM object_deletion")!)
                            }
                        } catch let error as DatabaseError where error.resultCode == .SQLITE_PROTOCOL && attempt < 100 {
                            usleep(10_000)
                        }
                    }
                    fatalError("unreachable")
                }
                let holdsLock = { () -> Bool in
                    guard let data = FileManager.default.contents(atPath: repo + "/lock"),
                          let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
                    return (record["pid"] as? NSNumber)?.int32Value == prune.pid
                }
                let hit = try ProcessStepper.stopWhen(prune.pid, slice: 200, reached: {
                    let now = try counts()
                    return aim == .beforeCommit ? holdsLock() && now.backups == before.count : now.backups < before.count && now.queued > 0
                }, overshot: {
                    let now = try counts()
                    return aim == .beforeCommit ? now.backups < before.count : now.backups < before.count && now.queued == 0
                })
                if !hit { print("run \(tally.runs): aimed at \(aim), stepped past it") }
            }
            prune.sigkill()
            let result = prune.wait()
            if result.status == 137 {
                tally.killed += 1
            } else {
                #expect(result.status == 0, "prune: \(result.stderr)")
                tally.completed += 1
                if aim == .random { typical = 0.7 * typical + 0.3 * Date().timeIntervalSince(prune.started) }
            }

            // What the kill left: nothing a remaining backup needs may be missing.
            let after = try ids(repo)
            let check = try #require(try JSONSerialization.jsonObject(with: Data(try Warren.run(["check", "--dry-run", "--json"], repo: repo).stdout.utf8)) as? [String: Any])
            let findings = check["findings"] as? [[String: Any]] ?? []
            let errors = findings.filter { $0["severity"] as? String == "error" }
            #expect(errors.isEmpty, "run \(tally.runs): \(errors)")
            let codes = Set(findings.compactMap { $0["code"] as? String })
            // deletion_unfinished: killed after the catalog transaction, before its manifests went;
            // deletion_cancelled: killed after the tombstones were written, before that transaction (issue 17).
            #expect(codes.isSubset(of: ["deletion_interrupted", "deletion_unfinished", "deletion_cancelled", "objects_unreferenced", "stale_temporaries"]), "run \(tally.runs): \(codes)")
            if result.status == 137 {
                if after == before {
                    tally.beforeCommit += 1
                    if aim == .random { typical *= 1.2 }  // killed too early to matter much: aim later next time
                } else if codes.contains("deletion_interrupted") {
                    tally.midDeletion += 1
                }
            }
            #expect(after == before || after == planned, "run \(tally.runs): all or nothing (\(before) -> \(after), plan \(planned))")
            #expect(after.contains(Int(pinned)), "run \(tally.runs): the pinned backup is gone")
            for id in after {
                let verify = try Warren.run(["verify", String(id), "--full"], repo: repo)
                #expect(verify.status == 0, "run \(tally.runs): verify --full \(id): \(verify.stdout)")
            }

            // The next gc finishes the job and the repository is clean again.
            #expect(try Warren.run(["gc"], repo: repo).status == 0)
            let clean = try Warren.run(["check"], repo: repo)
            #expect(clean.status == 0, "run \(tally.runs): \(clean.stdout)")
            if errors.count + (clean.status == 0 ? 0 : 1) > 0 { break }
        }
        print("crash safety: \(tally)")
        #expect(tally.runs == Self.runs, "the hang guard stopped the runs: \(tally)")
        // Both windows were really hit (these fail if the kills land elsewhere).
        #expect(tally.beforeCommit > 0, "no kill landed before the catalog commit: \(tally)")
        #expect(tally.midDeletion > 0, "no kill landed between the catalog commit and the last unlink: \(tally)")
    }

    private func ids(_ repo: String) throws -> [Int] {
        try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]]).compactMap { $0["id"] as? Int }.sorted()
    }
}
