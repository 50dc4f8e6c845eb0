import Foundation
import Testing

/// Issue 13, everyday commands: `warren ls ID` (the file manifest, like restic ls) and
/// `warren forget ID...` (delete chosen backups, like restic forget ID / Barman delete).
@Suite struct LsForgetEndToEndTests {
    static func work(_ name: String) -> String {
        NSTemporaryDirectory() + "warren-lsforget-\(name)-\(UUID().uuidString)"
    }

    static func errorBody(_ result: CommandResult) -> [String: Any] {
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
        return json?["error"] as? [String: Any] ?? [:]
    }

    static func register(_ work: String, _ n: Int, repo: String) throws -> Int {
        try SyntheticBackup.make(at: work + "/b\(n)")
        let backup = try #require(try Warren.json(["register", work + "/b\(n)", "--node", "rabbit@a"], repo: repo) as? [String: Any])
        return try #require(backup["id"] as? Int)
    }

    @Test func lsShowsTheManifestWithDigestsAndFilters() throws {
        let work = Self.work("ls")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--no-encryption", "--repo", repo])
        let id = try Self.register(work, 1, repo: repo)
        let files = try #require(try Warren.json(["ls", String(id)], repo: repo) as? [[String: Any]])
        let onDisk = try #require(FileManager.default.subpathsOfDirectory(atPath: work + "/b1/msg_stores").filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: work + "/b1/msg_stores/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        })
        #expect(files.compactMap { $0["path"] as? String } == onDisk.sorted(), "\(files)")
        // Every digest is the file's real SHA-256.
        for file in files {
            let path = try #require(file["path"] as? String)
            let digest = try Command.check("sha256sum", [work + "/b1/msg_stores/" + path]).prefix(64)
            #expect(file["sha256"] as? String == String(digest), "\(path)")
            #expect(file["size"] as? Int == (try FileManager.default.attributesOfItem(atPath: work + "/b1/msg_stores/" + path)[.size] as? Int))
        }
        let queueFiles = try #require(try Warren.json(["ls", String(id), "--vhost", "/", "--queue", "orders"], repo: repo) as? [[String: Any]])
        #expect(!queueFiles.isEmpty)
        #expect(queueFiles.allSatisfy { $0["queue"] as? String == "orders" && $0["vhost"] as? String == "/" && ($0["path"] as? String ?? "").contains("/queues/") })
        #expect(try #require(try Warren.json(["ls", String(id), "--vhost", "no-such"], repo: repo) as? [Any]).isEmpty)
        let text = try Command.check(Warren.binary, ["ls", String(id), "--repo", repo])
        #expect(text.contains("0.rdq") && text.split(separator: "\n").last?.hasPrefix("\(files.count) files, ") == true, "\(text)")
        let unknown = try Warren.run(["ls", "99", "--json"], repo: repo)
        #expect(unknown.status == 3)
        #expect(Self.errorBody(unknown)["code"] as? String == "backup_not_found")
    }

    @Test func forgetDeletesChosenBackupsHonouringPins() throws {
        let work = Self.work("forget")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--no-encryption", "--repo", repo])
        let ids = try (1...3).map { try Self.register(work, $0, repo: repo) }
        try Command.check(Warren.binary, ["pin", String(ids[1]), "--note", "audit", "--repo", repo])
        func listed() throws -> [Int] {
            try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]]).compactMap { $0["id"] as? Int }.sorted()
        }

        // Dry run: the plan and what it would free (the backup's one unique 4 KiB file), nothing changed.
        let plan = try #require(try Warren.json(["forget", String(ids[0]), "--dry-run"], repo: repo) as? [String: Any])
        #expect(plan["dry_run"] as? Bool == true)
        #expect((plan["backups"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [ids[0]])
        #expect(plan["freed_objects"] as? Int == 1 && plan["freed_bytes"] as? Int == 4096, "\(plan)")
        #expect(try listed() == ids)

        // A pinned backup is refused without --force, and so is the whole request.
        let pinned = try Warren.run(["forget", String(ids[0]), String(ids[1]), "--json"], repo: repo)
        #expect(pinned.status == 64)
        #expect(Self.errorBody(pinned)["code"] as? String == "invalid_argument")
        #expect((Self.errorBody(pinned)["message"] as? String ?? "").contains("backup \(ids[1]) (audit) is pinned"), "\(pinned.stdout)")
        // An unknown id refuses the whole request too.
        let unknown = try Warren.run(["forget", String(ids[0]), "99"], repo: repo)
        #expect(unknown.status == 3, "\(unknown.stderr)")
        #expect(try listed() == ids)

        let done = try #require(try Warren.json(["forget", String(ids[0]), String(ids[1]), "--force"], repo: repo) as? [String: Any])
        #expect(done["dry_run"] as? Bool == false)
        #expect(done["freed_objects"] as? Int == 2 && done["freed_bytes"] as? Int == 8192, "\(done)")
        #expect(try listed() == [ids[2]])
        // The remaining backup is whole: the repository checks clean.
        let check = try Warren.run(["check"], repo: repo)
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        #expect(try #require(try Warren.json(["ls", String(ids[2])], repo: repo) as? [Any]).isEmpty == false)
    }
}
