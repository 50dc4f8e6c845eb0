import Foundation
import Testing
import WarrenCore

/// Issue 17's first must-show on a real 3.10.8 node: two `backup --stop-app` and a
/// registered manual copy, a pin with a note, a policy and recorded verdicts; then
/// `catalog.sqlite` and its WAL files are deleted and rebuilt from the repository alone.
/// `list`, `show` of every backup, `policy show` and `verify --full` are byte-identical
/// to before (verify's `verified_at` aside: it says when verify ran), and a rebuilt backup
/// restores every classic queue's count into a fresh node.
@Suite(.serialized) struct CatalogRebuildEndToEndTests {
    /// Without `verified_at`, the time of the run.
    static func verifyWithoutTime(_ text: String) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        object.removeValue(forKey: "verified_at")
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The rebuild says what the repository does not hold (text and --json), so an operator
    /// does not look for the restore history or schedules in the new catalog.
    @Test func rebuildSaysWhatItCannotBringBack() throws {
        let work = NSTemporaryDirectory() + "warren-rebuild-gaps-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        #expect(try Warren.run(["init"], repo: repo).status == 0)
        try SyntheticBackup.make(at: work + "/b")
        #expect(try Warren.run(["register", work + "/b", "--node", "rabbit@a"], repo: repo).status == 0)
        let json = try Warren.run(["catalog", "rebuild", "--force", "--json"], repo: repo)
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(report?["not_rebuilt"] as? [String] == ["failed_backups", "verification_history", "restore_history", "schedules", "deletion_records"],
                "\(json.stdout)")
        let text = try Warren.run(["catalog", "rebuild", "--force"], repo: repo)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("not in the repository, so not brought back:\n  - failed backups (they have no manifest)\n"), "\(text.stdout)")
        #expect(text.stdout.contains("  - the restore history (`warren restores`)\n") && text.stdout.contains("`warren schedule add`"))
        #expect(text.stdout.split(separator: "\n").filter { !$0.contains(repo) }.allSatisfy { $0.count <= 80 }, "\(text.stdout)")
    }

    @Test func deletedCatalogIsRebuiltIdenticallyAndARebuiltBackupRestores() throws {
        let work = NSTemporaryDirectory() + "warren-rebuild-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])

        try RabbitNode.with("e2e-rebuild-a") { a in
            try BackupRestoreEndToEndTests.fill(a)
            let expected = try BackupRestoreEndToEndTests.classicCounts(a)
            let first = try #require(try Warren.json(["backup", "--node", a.nodeName, "--stop-app"], repo: repo) as? [String: Any])["id"] as? Int
            let second = try #require(try Warren.json(["backup", "--node", a.nodeName, "--stop-app", "--label", "second"], repo: repo) as? [String: Any])["id"] as? Int
            try a.manualBackup(into: work + "/manual")
            let registered = try Command.check(Warren.binary, ["register", work + "/manual", "--node", a.nodeName, "--repo", repo])
                .split(separator: "\n").first.map(String.init) ?? ""
            let ids = [try #require(first), try #require(second), try #require(Int(registered))].map(String.init)

            try Command.check(Warren.binary, ["pin", ids[0], "--note", "audit 2026", "--repo", repo])
            try Command.check(Warren.binary, ["policy", "set", "--default", "--keep-last", "5", "--repo", repo])
            try Command.check(Warren.binary, ["policy", "set", "--node", a.nodeName, "--keep-daily", "7", "--repo", repo])
            var verified: [String] = []
            for id in ids {
                // Records each verdict (exit 0 or 1: a registered live copy may have warnings).
                let result = try Warren.run(["verify", id, "--full", "--json"], repo: repo)
                #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
                verified.append(try Self.verifyWithoutTime(result.stdout))
            }
            func views() throws -> [String] {
                try [Warren.run(["list", "--json"], repo: repo).stdout, Warren.run(["policy", "show", "--json"], repo: repo).stdout]
                    + ids.map { try Warren.run(["show", $0, "--json"], repo: repo).stdout }
            }
            let before = try views()
            #expect(before[0].contains("audit 2026") && before.allSatisfy { !$0.isEmpty })

            for suffix in ["", "-wal", "-shm"] { unlink(repo + "/catalog.sqlite" + suffix) }
            let rebuild = try Warren.run(["catalog", "rebuild", "--json"], repo: repo)
            #expect(rebuild.status == 0, "\(rebuild.stdout)\n\(rebuild.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(rebuild.stdout.utf8)) as? [String: Any]
            #expect(report?["backups"] as? Int == 3, "\(rebuild.stdout)")

            let after = try views()
            for (old, new) in zip(before, after) { #expect(old == new) }
            // Also for `backup --stop-app` backups: their broker survey (issue 16) is in the manifest.
            for (id, old) in zip(ids, verified) {
                let again = try Warren.run(["verify", id, "--full", "--json"], repo: repo)
                let new = try Self.verifyWithoutTime(again.stdout)
                #expect(new == old, "verify --full \(id): before \(old)\nafter \(new)")
            }

            try RabbitNode.with("e2e-rebuild-b") { b in
                let restore = try Warren.run(["restore", ids[1], "--node", b.nodeName, "--json"], repo: repo)
                #expect(restore.status == 0, "\(restore.stderr)")
                #expect(try BackupRestoreEndToEndTests.classicCounts(b) == expected)
            }
        }
    }
}
