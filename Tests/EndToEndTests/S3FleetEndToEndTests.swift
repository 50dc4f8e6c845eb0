import Foundation
import Testing
@testable import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// Issue 11's fleet must-shows, through the real binary against a real SeaweedFS: several
/// hosts (each its own `XDG_CACHE_HOME`) writing into one bucket at once, a prune on one host
/// while another registers, SIGKILLs at random points of an S3 register and an S3 prune, and
/// the server dying under a register. Overlaps are made with SIGSTOP/SIGCONT
/// (``ProcessStepper``) at points read from the bucket, never with sleeps; the kill loops'
/// delays are random by design, and what they assert holds for every delay.
@Suite(.serialized) struct S3FleetEndToEndTests {
    static func host(_ server: SeaweedServer, _ cache: String) -> [String: String] { S3RepositoryEndToEndTests.host(server, cache: cache) }
    static func object(_ result: CommandResult) -> [String: Any]? { S3RepositoryEndToEndTests.object(result) }
    static func errorCode(_ result: CommandResult) -> String? { S3RepositoryEndToEndTests.errorCode(result) }

    /// `list --json`'s entries.
    static func entries(_ result: CommandResult) -> [[String: Any]] {
        ((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [[String: Any]]) ?? []
    }

    /// The complete backups `list --json` printed: id → node.
    static func complete(_ result: CommandResult) -> [Int: String] {
        var found: [Int: String] = [:]
        for entry in entries(result) where entry["state"] as? String == "complete" {
            if let id = entry["id"] as? Int { found[id] = entry["node"] as? String ?? "?" }
        }
        return found
    }

    /// `check --json`'s findings of severity error (missing or resized objects, a damaged
    /// catalog or manifest): none may be left.
    static func errorFindings(_ result: CommandResult) -> [[String: Any]] {
        ((object(result)?["findings"] as? [[String: Any]]) ?? []).filter { $0["severity"] as? String == "error" }
    }

    static func backupID(_ result: CommandResult) -> Int? { object(result)?["id"] as? Int }

    /// Objects stored under `prefix/objects/`, and manifests under `prefix/manifests/`.
    static func counts(_ server: SeaweedServer, _ prefix: String) throws -> (objects: Int, manifests: Int) {
        let client = server.client()
        return (try client.listObjects(prefix: prefix + "/objects/").count, try client.listObjects(prefix: prefix + "/manifests/").count)
    }

    /// Every complete backup of `env`'s cache verifies `--full` with no object finding.
    static func verifyAll(_ url: String, _ env: [String: String], ids: [Int], who: String) throws {
        for id in ids {
            let verified = try Warren.run(["verify", String(id), "--full", "--json"], repo: url, environment: env)
            #expect(verified.status == 0 && !verified.stdout.contains("\"object_"), "\(who): verify \(id): \(verified.stdout) \(verified.stderr)")
        }
    }

    static func spawn(_ arguments: [String], _ url: String, _ env: [String: String]) throws -> Spawned {
        try Spawned(arguments + ["--repo", url], environment: env)
    }

    static func milliseconds(since start: Date) -> Int { Int(Date().timeIntervalSince(start) * 1000) }

    // MARK: - 1. Two hosts at once

    /// Two hosts register different nodes into one bucket at the same time. Both succeed;
    /// when both picked the same id, the loser exits 10 (its manifest PUT refused) and its
    /// retry takes the next id. Each host's list then shows both backups, and each reads the other's.
    @Test func twoHostsRegisterAtTheSameTime() throws {
        let work = NSTemporaryDirectory() + "warren-s3fleet2-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-fleet-two") { server in
            let url = server.location(prefix: "fleet/two").description
            let hostA = Self.host(server, work + "/cache-a"), hostB = Self.host(server, work + "/cache-b")
            let created = try Warren.run(["init"], repo: url, environment: hostA)
            #expect(created.status == 0, "\(created.stderr)")
            // Both caches exist and are in step, so both hosts would pick the same next id.
            #expect(try Warren.run(["list"], repo: url, environment: hostB).status == 0)
            try SyntheticBackup.make(at: work + "/a", uniqueFiles: 4)
            try SyntheticBackup.make(at: work + "/b", uniqueFiles: 4)

            let a = try Self.spawn(["register", work + "/a", "--node", "rabbit@a", "--json"], url, hostA)
            let b = try Self.spawn(["register", work + "/b", "--node", "rabbit@b", "--json"], url, hostB)
            var results = [("rabbit@a", work + "/a", hostA, a.wait(killingAfter: 600)), ("rabbit@b", work + "/b", hostB, b.wait(killingAfter: 600))]
            var collisions = 0
            for index in results.indices where results[index].3.status != 0 {
                let (node, dir, env, failed) = results[index]
                // The documented outcome of a collision: exit 10, then a retry takes the next id.
                #expect(failed.status == 10, "\(node): \(failed.stdout) \(failed.stderr)")
                collisions += 1
                results[index].3 = try Warren.run(["register", dir, "--node", node, "--json"], repo: url, environment: env)
            }
            #expect(collisions <= 1, "at most one of two can lose the id")
            var ids: [String: Int] = [:]
            for (node, _, _, result) in results {
                #expect(result.status == 0, "\(node): \(result.stdout) \(result.stderr)")
                ids[node] = Self.backupID(result)
            }
            let idA = try #require(ids["rabbit@a"]), idB = try #require(ids["rabbit@b"])
            #expect(idA != idB)
            for (who, env) in [("host A", hostA), ("host B", hostB)] {
                let listed = try Warren.run(["list", "--json"], repo: url, environment: env)
                #expect(listed.status == 0, "\(who): \(listed.stderr)")
                #expect(Self.complete(listed) == [idA: "rabbit@a", idB: "rabbit@b"], "\(who): \(listed.stdout)")
                try Self.verifyAll(url, env, ids: [idA, idB], who: who)
            }
            print("S3Fleet two hosts: ids \(idA) (rabbit@a) and \(idB) (rabbit@b), \(collisions) id collision(s) retried")
        }
    }

    // MARK: - 2. Prune on one host while another registers

    /// Host A prunes rabbit@a while host B registers rabbit@b, in both orders of overlap: B
    /// stopped (SIGSTOP) with part of its objects uploaded and no manifest yet, so holding its
    /// shared lock: A's prune refuses at once, or with a lock timeout waits for B and then
    /// runs; then A's prune stopped while holding the bucket's exclusive lock: B's register
    /// refuses at once, or waits for it. Nothing is lost: B's backups are complete, every
    /// remaining backup verifies `--full` from both hosts, and `check` finds no missing object on either.
    @Test func pruneOnOneHostWhileAnotherRegistersLosesNothing() throws {
        let work = NSTemporaryDirectory() + "warren-s3fleetprune-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-fleet-prune") { server in
            let prefix = "fleet/prune"
            let url = server.location(prefix: prefix).description
            let hostA = Self.host(server, work + "/cache-a"), hostB = Self.host(server, work + "/cache-b")
            #expect(try Warren.run(["init"], repo: url, environment: hostA).status == 0)
            var day = 0
            func registerA(_ n: Int) throws {
                for _ in 0..<n {
                    day += 1
                    let dir = work + "/a\(day)"
                    try SyntheticBackup.make(at: dir, uniqueFiles: 3)
                    let result = try Warren.run(["register", dir, "--node", "rabbit@a", "--taken-at", String(format: "2026-01-%02dT00:00:00Z", day)],
                                                repo: url, environment: hostA)
                    #expect(result.status == 0, "\(result.stderr)")
                }
            }
            try registerA(3)
            #expect(try Warren.run(["list"], repo: url, environment: hostB).status == 0)

            // Order 1: B is stopped mid-upload (some of its objects in the bucket, no manifest),
            // A prunes to the end, then B goes on.
            try SyntheticBackup.make(at: work + "/b1", uniqueFiles: 40, uniqueBytes: 256 << 10)
            let before = try Self.counts(server, prefix)
            let b1 = try Self.spawn(["register", work + "/b1", "--node", "rabbit@b", "--json"], url, hostB)
            let stopped = try ProcessStepper.stopWhen(b1.pid, slice: 20_000, reached: { try Self.counts(server, prefix).objects > before.objects },
                                                      overshot: { try Self.counts(server, prefix).manifests > before.manifests })
            #expect(stopped, "B's register was stopped mid-upload")
            let refused = try Warren.run(["prune", "--keep-last", "1", "--node", "rabbit@a", "--json"], repo: url, environment: hostA)
            #expect(refused.status == 8 && Self.errorCode(refused) == "lock_held", "\(refused.stdout) \(refused.stderr)")
            #expect(refused.stderr.contains("pid \(b1.pid) on host"), "the refusal names B's register: \(refused.stderr)")
            let prune1 = try Self.spawn(["prune", "--keep-last", "1", "--node", "rabbit@a", "--lock-timeout", "600", "--json"], url, hostA)
            #expect(prune1.waitForStderr(containing: "for the repository lock held by pid \(b1.pid)"), "the prune waits for B")
            kill(b1.pid, SIGCONT)
            let registered1 = b1.wait(killingAfter: 600)
            #expect(registered1.status == 0, "\(registered1.stdout) \(registered1.stderr)")
            let pruned = prune1.wait(killingAfter: 600)
            #expect(pruned.status == 0 && Self.object(pruned)?["removed_count"] as? Int == 2, "\(pruned.stdout) \(pruned.stderr)")
            let idB1 = try #require(Self.backupID(registered1))

            // Order 2: A's prune is stopped while it holds the bucket's lock, B registers to the
            // end, then the prune goes on.
            try registerA(2)
            #expect(try Warren.run(["list"], repo: url, environment: hostB).status == 0)
            try SyntheticBackup.make(at: work + "/b2", uniqueFiles: 10)
            // (With a lock timeout: a register's shared lock, written just as the prune looks,
            // would otherwise make it refuse.)
            let prune2 = try Self.spawn(["prune", "--keep-last", "1", "--node", "rabbit@a", "--lock-timeout", "600", "--json"], url, hostA)
            let holding = try ProcessStepper.stopWhen(prune2.pid, slice: 2_000, reached: { try server.client().getObject(prefix + "/locks/exclusive") != nil })
            #expect(holding, "the prune was stopped holding the bucket's lock")
            let refused2 = try Warren.run(["register", work + "/b2", "--node", "rabbit@b", "--json"], repo: url, environment: hostB)
            #expect(refused2.status == 8 && Self.errorCode(refused2) == "lock_held", "\(refused2.stdout) \(refused2.stderr)")
            #expect(refused2.stderr.contains("pid \(prune2.pid) on host") && refused2.stderr.contains("running `warren prune`"), "\(refused2.stderr)")
            let register2 = try Self.spawn(["register", work + "/b2", "--node", "rabbit@b", "--lock-timeout", "600", "--json"], url, hostB)
            #expect(register2.waitForStderr(containing: "for the repository lock held by pid \(prune2.pid)"), "the register waits for the prune")
            kill(prune2.pid, SIGCONT)
            let pruned2 = prune2.wait(killingAfter: 600)
            #expect(pruned2.status == 0 && Self.object(pruned2)?["removed_count"] as? Int == 2, "\(pruned2.stdout) \(pruned2.stderr)")
            let registered2 = register2.wait(killingAfter: 600)
            #expect(registered2.status == 0, "\(registered2.stdout) \(registered2.stderr)")
            let idB2 = try #require(Self.backupID(registered2))

            for (who, env) in [("host A", hostA), ("host B", hostB)] {
                let listed = try Warren.run(["list", "--json"], repo: url, environment: env)
                let complete = Self.complete(listed)
                #expect(complete.filter { $0.value == "rabbit@a" }.count == 1, "\(who): \(listed.stdout)")
                #expect(complete[idB1] == "rabbit@b" && complete[idB2] == "rabbit@b", "\(who): B's backups complete: \(listed.stdout)")
                try Self.verifyAll(url, env, ids: complete.keys.sorted(), who: who)
                let checked = try Warren.run(["check", "--json"], repo: url, environment: env)
                #expect([0, 1].contains(checked.status) && Self.errorFindings(checked).isEmpty && !checked.stdout.contains("object_missing"),
                        "\(who): \(checked.stdout) \(checked.stderr)")
            }
        }
    }

    // MARK: - 3. SIGKILL during an S3 register and an S3 prune

    /// After a kill: `check` (repairing), then no error finding (no missing referenced
    /// object: check has looked for every one), the newest complete backup verifies `--full`,
    /// and a fresh cache rebuilt from the bucket lists the same complete backups as the live one.
    static func assertRecovered(_ url: String, _ live: [String: String], fresh: [String: String], run: String) throws {
        let repaired = try Warren.run(["check", "--json"], repo: url, environment: live)
        #expect([0, 1].contains(repaired.status) && Self.errorFindings(repaired).isEmpty, "\(run): check: \(repaired.stdout) \(repaired.stderr)")
        let checked = try Warren.run(["check", "--json"], repo: url, environment: live)
        #expect([0, 1].contains(checked.status) && Self.errorFindings(checked).isEmpty && !checked.stdout.contains("object_missing"),
                "\(run): check after repair: \(checked.stdout) \(checked.stderr)")
        let listed = try Warren.run(["list", "--json"], repo: url, environment: live)
        #expect(listed.status == 0, "\(run): \(listed.stderr)")
        let rebuilt = try Warren.run(["list", "--json"], repo: url, environment: fresh)
        #expect(rebuilt.status == 0, "\(run): \(rebuilt.stderr)")
        #expect(Self.complete(listed) == Self.complete(rebuilt), "\(run): live \(listed.stdout) fresh \(rebuilt.stdout)")
        #expect(!Self.entries(listed).contains { $0["state"] as? String == "in_progress" }, "\(run): left in progress: \(listed.stdout)")
        try verifyAll(url, live, ids: Array(Self.complete(listed).keys.sorted().suffix(1)), who: run)
    }

    @Test func sigkillDuringS3RegisterAndPrune() throws {
        let work = NSTemporaryDirectory() + "warren-s3fleetkill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let wanted = Int(ProcessInfo.processInfo.environment["WARREN_S3_KILLS"] ?? "") ?? 10
        try SeaweedServer.with("s3-fleet-kill") { server in
            let prefix = "fleet/kill"
            let url = server.location(prefix: prefix).description
            let live = Self.host(server, work + "/cache")
            #expect(try Warren.run(["init"], repo: url, environment: live).status == 0)
            let began = Date()
            var made = 0
            func backupDir() throws -> String {
                made += 1
                let dir = work + "/b\(made)"
                try SyntheticBackup.make(at: dir, uniqueFiles: 3)
                return dir
            }
            func register(_ node: String = "rabbit@a") throws -> CommandResult {
                let dir = try backupDir()
                defer { try? FileManager.default.removeItem(atPath: dir) }
                return try Warren.run(["register", dir, "--node", node, "--taken-at", Timestamp.format(Date().addingTimeInterval(Double(made)))],
                                      repo: url, environment: live)
            }
            var fresh = 0
            let recovered: (String) throws -> Void = { run in
                fresh += 1
                try Self.assertRecovered(url, live, fresh: Self.host(server, work + "/fresh-\(fresh)"), run: run)
                try? FileManager.default.removeItem(atPath: work + "/fresh-\(fresh)")
            }

            // What the bucket holds, read while a stepped run is stopped.
            func state() throws -> (uploads: Int, manifests: Int, locked: Bool) {
                let client = server.client()
                let uploads = try client.listObjects(prefix: prefix + "/objects/").count + client.listObjects(prefix: prefix + "/packs/").count
                return (uploads, try client.listObjects(prefix: prefix + "/manifests/").count,
                        try client.getObject(prefix + "/locks/exclusive") != nil)
            }

            // Register: killed at once, with its first objects up and no manifest, or with the
            // manifest up (the catalog commit not seen).
            #expect(try register().status == 0)
            var dirs: [Int: String] = [:]
            let registers = try SteppedKills.loop(wanted: wanted, kind: "register", distinctPoints: 3, prepare: { dirs[$0] = try backupDir() }, point: { run in
                let before = try state()
                switch run % 3 {
                case 1: return .init(name: "start", reached: { true })
                case 2: return .init(name: "objects up", reached: { try state().uploads > before.uploads }, overshot: { try state().manifests > before.manifests })
                default: return .init(name: "manifest up", reached: { try state().manifests > before.manifests })
                }
            }, start: { run in
                try Self.spawn(["register", dirs[run]!, "--node", "rabbit@a"], url, live)
            }, recovered: recovered)
            let registerTime = Self.milliseconds(since: began)

            // Prune: each run has one more backup to remove than it keeps. Killed at once,
            // holding the bucket's lock, with a manifest deleted, or after letting the lock go.
            #expect(try register().status == 0)
            let first = try Warren.run(["prune", "--keep-last", "1", "--node", "rabbit@a"], repo: url, environment: live)
            #expect(first.status == 0, "\(first.stderr)")
            let prunes = try SteppedKills.loop(wanted: wanted, kind: "prune", distinctPoints: 3, prepare: { _ in
                let result = try register()
                #expect(result.status == 0, "\(result.stderr)")
            }, point: { run in
                let before = try state()
                switch run % 4 {
                case 1: return .init(name: "start", reached: { true })
                case 2: return .init(name: "lock held", reached: { try state().locked }, overshot: { try state().manifests < before.manifests })
                case 3: return .init(name: "manifest deleted", reached: { try state().manifests < before.manifests })
                default: return .init(name: "lock let go", reached: { let now = try state(); return now.manifests < before.manifests && !now.locked })
                }
            }, start: { _ in
                try Self.spawn(["prune", "--keep-last", "1", "--node", "rabbit@a"], url, live)
            }, recovered: recovered)
            // A last uninterrupted prune still works (no lock left behind by the killed ones).
            let last = try Warren.run(["prune", "--keep-last", "1", "--node", "rabbit@a", "--json"], repo: url, environment: live)
            #expect(last.status == 0, "\(last.stdout) \(last.stderr)")
            let listed = try Warren.run(["list", "--json"], repo: url, environment: live)
            try Self.verifyAll(url, live, ids: Self.complete(listed).keys.sorted(), who: "after the loops")
            print("S3Fleet kill loops: register \(registers.runs) runs, \(registers.kills) SIGKILLs at \(registers.hit), \(registerTime) ms; prune \(prunes.runs) runs, \(prunes.kills) SIGKILLs at \(prunes.hit); total \(Self.milliseconds(since: began)) ms")
        }
    }

    // MARK: - 4. The server killed mid-backup

    /// The server is SIGKILLed while a register uploads (the register stopped with part of
    /// its objects in the bucket and no manifest, the server killed, the register let go on):
    /// exit 22 naming the endpoint, `s3_unreachable` (or `s3_timeout`) in `--json`, the backup
    /// marked failed in the cache. After a restart a new register succeeds and verifies.
    @Test func serverKilledMidRegister() throws {
        let work = NSTemporaryDirectory() + "warren-s3fleetdown-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-fleet-down") { server in
            let prefix = "fleet/down"
            let url = server.location(prefix: prefix).description
            let env = Self.host(server, work + "/cache")
            #expect(try Warren.run(["init"], repo: url, environment: env).status == 0)
            try SyntheticBackup.make(at: work + "/b0", uniqueFiles: 1)
            let first = try Warren.run(["register", work + "/b0", "--node", "rabbit@a", "--json"], repo: url, environment: env)
            #expect(first.status == 0, "\(first.stderr)")
            let firstID = try #require(Self.backupID(first))

            try SyntheticBackup.make(at: work + "/b1", uniqueFiles: 40, uniqueBytes: 256 << 10)
            let before = try Self.counts(server, prefix)
            let register = try Self.spawn(["register", work + "/b1", "--node", "rabbit@a", "--json"], url, env)
            let stopped = try ProcessStepper.stopWhen(register.pid, slice: 20_000, reached: { try Self.counts(server, prefix).objects > before.objects },
                                                      overshot: { try Self.counts(server, prefix).manifests > before.manifests })
            #expect(stopped, "the register was stopped mid-upload")
            try server.kill()
            kill(register.pid, SIGCONT)
            let failed = register.wait(killingAfter: 600)
            #expect(failed.status == 22, "\(failed.stdout) \(failed.stderr)")
            #expect(["s3_unreachable", "s3_timeout"].contains(Self.errorCode(failed)), "\(failed.stdout)")
            #expect(failed.stderr.contains(server.endpoint.description), "names \(server.endpoint): \(failed.stderr)")

            // The cache, read while the server is still down: the backup is failed, not in progress.
            let cache = work + "/cache/warren/" + (try FileManager.default.contentsOfDirectory(atPath: work + "/cache/warren").first ?? "")
            let states = try Catalog(openingExistingAt: cache + "/catalog.sqlite", repositoryPath: cache).backupStates()
            let failedIDs = states.filter { $0.value == .failed }.map(\.key)
            #expect(failedIDs.count == 1 && states[Int64(firstID)] == .complete && !states.values.contains(.inProgress), "\(states)")

            try server.restart()
            let listed = try Warren.run(["list", "--json"], repo: url, environment: env)
            let failedEntry = Self.entries(listed).first { ($0["id"] as? Int).map(Int64.init) == failedIDs.first }
            #expect(failedEntry?["state"] as? String == "failed", "\(listed.stdout) \(listed.stderr)")
            let again = try Warren.run(["register", work + "/b1", "--node", "rabbit@a", "--json"], repo: url, environment: env)
            #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
            let againID = try #require(Self.backupID(again))
            try Self.verifyAll(url, env, ids: [firstID, againID], who: "after the restart")
            let checked = try Warren.run(["check", "--json"], repo: url, environment: env)
            #expect([0, 1].contains(checked.status) && Self.errorFindings(checked).isEmpty, "\(checked.stdout) \(checked.stderr)")
        }
    }
}
