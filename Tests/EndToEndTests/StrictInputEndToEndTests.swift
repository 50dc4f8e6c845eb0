import Foundation
import Testing
import WarrenCore

/// Issue 12 §3 through the real binary: input that used to be taken wrongly without an
/// error is refused with a message naming what is wrong, and what-if verdicts never become
/// a backup's verdict.
@Suite(.serialized) struct StrictInputEndToEndTests {
    static func work(_ name: String) -> String {
        NSTemporaryDirectory() + "warren-strict-\(name)-\(UUID().uuidString)"
    }

    static func errorBody(_ result: CommandResult) -> [String: Any] {
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
        return json?["error"] as? [String: Any] ?? [:]
    }

    @Test func takenAtIsStrictRFC3339WithAZone() throws {
        let work = Self.work("taken-at")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/b")
        // Each of these used to be stored as 2026-11-21T00:00:00Z.
        for (text, fragment) in [("2026-11-21T03:00:00", "has no time zone"), ("2026-11-21 03:00", "with a space"),
                                 ("2026-11-21xyz", "has 'xyz' after the date"), ("2026-11-21T03:00:00Zjunk", "after the time zone"),
                                 ("2026-11-21", "a date without a time")] {
            let result = try Warren.run(["register", work + "/b", "--node", "rabbit@a", "--taken-at", text, "--json"], repo: repo)
            #expect(result.status == 64, "\(text): \(result.stdout) \(result.stderr)")
            let error = Self.errorBody(result)
            #expect(error["code"] as? String == "invalid_argument")
            let message = error["message"] as? String ?? ""
            #expect(message.hasPrefix("--taken-at: '\(text)' ") && message.contains(fragment), "\(message)")
        }
        #expect(try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]]).isEmpty, "a refused --taken-at recorded a backup")
        let offset = try #require(try Warren.json(["register", work + "/b", "--node", "rabbit@a", "--taken-at", "2026-11-21T04:00:00+01:00"], repo: repo) as? [String: Any])
        #expect(offset["taken_at"] as? String == "2026-11-21T03:00:00Z")
    }

    /// Before: `verify --target-version` (or --exclude-queue) replaced the verdict that list,
    /// show and prune's "newest viable" rule use.
    @Test func whatIfVerifiesLeaveListShowAndPruneAlone() throws {
        let work = Self.work("what-if")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        var ids: [Int] = []
        for hour in ["01", "02"] {
            try SyntheticBackup.make(at: work + "/b" + hour)
            let json = try #require(try Warren.json(["register", work + "/b" + hour, "--node", "rabbit@a", "--taken-at", "2026-11-21T\(hour):00:00Z"], repo: repo) as? [String: Any])
            ids.append(try #require(json["id"] as? Int))
        }
        let (older, newer) = (ids[0], ids[1])
        for id in ids { #expect(try Warren.run(["verify", String(id)], repo: repo).status == 0) }

        let text = try Warren.run(["verify", String(newer), "--exclude-queue", "orders"], repo: repo)
        #expect(text.stdout.contains("a what-if check: not recorded as the backup's verdict"), "\(text.stdout)")
        // The backup says it was written by 3.13.7: a 3.0.0 target is older, so not viable there.
        let whatIf = try Warren.run(["verify", String(newer), "--target-version", "3.0.0", "--json"], repo: repo)
        #expect(whatIf.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(whatIf.stdout.utf8)) as? [String: Any])
        #expect(report["verdict"] as? String == "not_viable" && report["what_if"] as? Bool == true)

        let list = try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]])
        #expect(list.allSatisfy { $0["last_verdict"] as? String == "viable_with_warnings" }, "\(list.map { $0["last_verdict"] ?? "nil" })")
        #expect(try Warren.run(["show", String(newer)], repo: repo).stdout.contains("viable_with_warnings"))
        let plan = try #require(try Warren.json(["prune", "--keep-last", "1", "--dry-run"], repo: repo) as? [String: Any])
        let decisions = Dictionary(uniqueKeysWithValues: (plan["backups"] as? [[String: Any]] ?? []).map { ($0["id"] as? Int ?? 0, $0) })
        #expect(decisions[older]?["action"] as? String == "remove", "the older backup was kept as 'newest viable': \(decisions)")
        #expect((decisions[newer]?["reasons"] as? [String])?.contains("newest viable") == true, "\(decisions)")
    }

    @Test func duplicateKeysInDefinitionsAreRefusedNamingTheKey() throws {
        let work = Self.work("duplicate")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/b")
        // The second "queues" empties the list for RabbitMQ (it keeps the last value).
        let path = work + "/b/definitions.json"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = String(text.dropLast()) + #", "queues": []}"#
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try Warren.run(["register", work + "/b", "--node", "rabbit@a", "--json"], repo: repo)
        #expect(result.status == 4)
        let message = Self.errorBody(result)["message"] as? String ?? ""
        #expect(message.hasPrefix("\(path): has the key \"queues\" more than once at the top level"), "\(message)")
        #expect(try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]]).isEmpty)
    }

    @Test func unmatchedExclusionsAreAnErrorUnlessAllowed() throws {
        let work = Self.work("exclusions")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/b")
        let id = try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", repo]).trimmingCharacters(in: .whitespacesAndNewlines)
        let typo = try Warren.run(["verify", id, "--exclude-queue", "ordres", "--json"], repo: repo)
        #expect(typo.status == 64)
        let message = Self.errorBody(typo)["message"] as? String ?? ""
        #expect(message.hasPrefix("--exclude-queue 'ordres' matches no queue of backup \(id) (its queues: 'orders')"), "\(message)")
        #expect(message.hasSuffix("or pass --allow-unmatched-exclusions to go on without it"), "\(message)")
        let vhost = try Warren.run(["verify", id, "--exclude-vhost", "shop"], repo: repo)
        #expect(vhost.status == 64 && vhost.stderr.contains("--exclude-vhost 'shop' matches no vhost"), "\(vhost.stderr)")
        let allowed = try Warren.run(["verify", id, "--exclude-queue", "ordres", "--allow-unmatched-exclusions", "--json"], repo: repo)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("\"exclusion_unmatched\""))
    }

    /// Issue 12 §3: on a completely full disk `list` said "catalog.sqlite is not a Warren
    /// catalog … Create one with `warren init`". Reproduced for real on a small tmpfs.
    @Test func aFullDiskIsReportedAsAFullDisk() throws {
        let work = Self.work("full")
        let mount = work + "/mnt"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        try Command.check("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mount])
        defer {
            _ = try? Command.run("/bin/umount", [mount])
            try? FileManager.default.removeItem(atPath: work)
        }
        let repo = mount + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/b")
        try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", repo])
        let catalog = try Data(contentsOf: URL(fileURLWithPath: repo + "/catalog.sqlite"))
        // Fill every block: dd stops at ENOSPC.
        _ = try Command.run("/bin/dd", ["if=/dev/zero", "of=\(mount)/fill", "bs=4096"])
        let free = try #require(try FileManager.default.attributesOfFileSystem(forPath: mount)[.systemFreeSize] as? NSNumber)
        #expect(free.intValue == 0, "the tmpfs still has \(free) bytes free")

        // A read-only check needs no space: since writers keep -wal/-shm in place (issue 17 §5,
        // for read-only group members), it opens the catalog read-only and reports as usual.
        let dry = try Warren.run(["check", "--dry-run", "--json"], repo: repo)
        #expect(dry.status == 0, "\(dry.stdout)")
        #expect((try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])?["clean"] as? Bool == true, "\(dry.stdout)")
        for command in [["list"], ["show", "1"], ["gc"]] {
            let result = try Warren.run(command + ["--json"], repo: repo)
            #expect(result.status == 5, "\(command): \(result.status) \(result.stdout)")
            let error = Self.errorBody(result)
            #expect(error["code"] as? String == "disk_full", "\(command): \(result.stdout)")
            let message = error["message"] as? String ?? ""
            #expect(message.hasPrefix("the file system holding \(repo) is full (0 bytes free)") && message.contains("Free some space"), "\(message)")
            #expect(!message.contains("not a Warren catalog") && !message.contains("warren init"), "\(message)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: repo + "/catalog.sqlite")) == catalog, "the catalog changed on a full disk")

        try FileManager.default.removeItem(atPath: mount + "/fill")
        let list = try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]])
        #expect(list.count == 1 && list.first?["state"] as? String == "complete")
    }

    @Test func hardLinksInMsgStoresAreRefusedByName() throws {
        let work = Self.work("hardlink")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/b")
        let secret = work + "/shadow"
        try Data("root:$y$j9T$secret:19000:0:99999:7:::\n".utf8).write(to: URL(fileURLWithPath: secret))
        let inside = work + "/b/msg_stores/vhosts/\(RabbitDirectoryName.vhost("/"))/msg_store_persistent/9.rdq"
        #expect(link(secret, inside) == 0)
        let result = try Warren.run(["register", work + "/b", "--node", "rabbit@a"], repo: repo)
        #expect(result.status == 4)
        #expect(result.stderr.contains("\(inside): has 2 hard links"), "\(result.stderr)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: repo + "/objects").filter { $0.count > 3 }.isEmpty, "objects were stored")
    }
}
