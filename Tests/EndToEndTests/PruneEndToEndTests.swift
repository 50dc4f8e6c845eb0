import Foundation
import Testing
import WarrenCore

/// `warren prune`, `pin`, `policy`, `gc` and `check` as an operator runs them (the real
/// binary; no broker needed).
@Suite struct PruneEndToEndTests {
    /// A repository with backups of two nodes registered at the given times; returns their ids.
    static func repository(_ work: String, times: [(String, String)], uniqueFiles: Int = 2) throws -> (repo: String, ids: [Int64]) {
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--no-encryption", "--repo", repo])
        var ids: [Int64] = []
        for (i, (node, time)) in times.enumerated() {
            let dir = work + "/src\(i)"
            try SyntheticBackup.make(at: dir, uniqueFiles: uniqueFiles)
            let out = try Command.check(Warren.binary, ["register", dir, "--node", node, "--taken-at", time, "--repo", repo])
            ids.append(Int64(out.trimmingCharacters(in: .whitespacesAndNewlines))!)
            try FileManager.default.removeItem(atPath: dir)
        }
        return (repo, ids)
    }

    static let times = [
        ("rabbit@a", "2024-06-01T10:00:00Z"), ("rabbit@a", "2025-01-01T10:00:00Z"), ("rabbit@a", "2025-01-02T10:00:00Z"),
        ("rabbit@b", "2025-01-01T11:00:00Z"), ("rabbit@b", "2025-01-03T11:00:00Z"), ("rabbit@a", "2025-01-03T10:00:00Z"),
    ]

    /// Relative path → SHA-256 of every file of the repository but SQLite's shared-memory
    /// index (`-shm`, rewritten by any reader) and an empty `-wal` (a read-only connection
    /// may leave one; it holds nothing).
    static func snapshot(_ repo: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: repo)!
        while let relative = enumerator.nextObject() as? String {
            let path = repo + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  !relative.hasSuffix("-shm") else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            if relative.hasSuffix("-wal") && bytes.isEmpty { continue }
            result[relative] = bytes.withUnsafeBytes { ObjectStore.digest($0).hex }
        }
        return result
    }

    @Test func dryRunChangesNothing() throws {
        let work = NSTemporaryDirectory() + "warren-prune-dry-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (repo, ids) = try Self.repository(work, times: Self.times)
        try Command.check(Warren.binary, ["pin", String(ids[0]), "--note", "audit 2024", "--repo", repo])
        try Command.check(Warren.binary, ["policy", "set", "--default", "--keep-last", "1", "--repo", repo])
        try Command.check(Warren.binary, ["list", "--repo", repo])     // settles the WAL
        let before = try Self.snapshot(repo)
        #expect(before.keys.contains("catalog.sqlite") && before.count > 10)
        #expect(!before.keys.contains("catalog.sqlite-wal"), "the WAL was checkpointed into catalog.sqlite")

        let text = try Command.check(Warren.binary, ["prune", "--dry-run", "--repo", repo])
        #expect(text.contains("REMOVE") && text.contains("dry run: would keep 3 and remove 3 backups"), "\(text)")
        let json = try #require(try Warren.json(["prune", "--dry-run", "--keep-daily", "1"], repo: repo) as? [String: Any])
        #expect(json["dry_run"] as? Bool == true && (json["freed_bytes"] as? Int ?? 0) > 0)
        try Command.check(Warren.binary, ["gc", "--dry-run", "--repo", repo])
        try Command.check(Warren.binary, ["check", "--dry-run", "--repo", repo])

        let after = try Self.snapshot(repo)
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        #expect(changed.isEmpty, "changed by a dry run: \(changed)")
        #expect(before["lock"] != nil && after["lock"] == before["lock"], "the lock file is not touched either")
    }

    @Test func pruneExplainsPinsAndFreesBytes() throws {
        let work = NSTemporaryDirectory() + "warren-prune-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (repo, ids) = try Self.repository(work, times: Self.times)

        // Refused without a policy: exit 64, nothing removed.
        let refused = try Warren.run(["prune"], repo: repo)
        #expect(refused.status == 64 && refused.stderr.contains("no --keep-* flag") && refused.stderr.contains("warren policy set"))
        let refusedJSON = try Warren.run(["prune", "--json"], repo: repo)
        #expect(refusedJSON.status == 64 && refusedJSON.stdout.contains("\"invalid_argument\""))

        let pinned = try #require(try Warren.json(["pin", String(ids[1]), "--note", "before upgrade"], repo: repo) as? [String: Any])
        #expect(pinned["pinned"] as? Bool == true && pinned["pin_note"] as? String == "before upgrade")
        #expect(try Command.check(Warren.binary, ["list", "--wide", "--repo", repo]).contains("pinned: before upgrade"))
        #expect(try Command.check(Warren.binary, ["show", String(ids[1]), "--repo", repo]).contains("before upgrade (prune never removes it)"))
        #expect(try Command.check(Warren.binary, ["unpin", String(ids[2]), "--repo", repo]).contains("was not pinned"))

        let plan = try Command.check(Warren.binary, ["prune", "--keep-last", "1", "--repo", repo])
        #expect(plan.contains("policy for rabbit@a: last 1 (from the command line)"))
        #expect(plan.contains("pinned") && plan.contains("last 1/1") && plan.contains("kept 3, removed 3 backups"), "\(plan)")
        let remaining = try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]]).compactMap { $0["id"] as? Int }
        #expect(Set(remaining) == Set([ids[1], ids[4], ids[5]].map(Int.init)))

        // The pin is lifted; the stored default policy now removes it.
        try Command.check(Warren.binary, ["unpin", String(ids[1]), "--repo", repo])
        try Command.check(Warren.binary, ["policy", "set", "--default", "--keep-last", "1", "--repo", repo])
        let shown = try Command.check(Warren.binary, ["policy", "show", "--repo", repo])
        #expect(shown.contains("(default)") && shown.contains("FOR"))
        let report = try #require(try Warren.json(["prune"], repo: repo) as? [String: Any])
        #expect(report["removed_count"] as? Int == 1)
        // Two unique rdq files of 4096 bytes: the rest is shared with the kept backup.
        #expect(report["freed_objects"] as? Int == 2 && report["freed_bytes"] as? Int == 8192)
        #expect(try Warren.run(["check"], repo: repo).status == 0)
        for id in [ids[4], ids[5]] {
            #expect(try Warren.run(["verify", String(id), "--full"], repo: repo).status == 0)
        }
    }
}
