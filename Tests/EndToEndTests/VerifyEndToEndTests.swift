import Foundation
import Testing
import WarrenCore

/// Issue 3's must-show cases, each on real brokers and real backups, asserting the verdict,
/// the exit code and the named queue, vhost or file.
@Suite(.serialized) struct VerifyEndToEndTests {
    struct Verified {
        var status: Int32
        var verdict: String
        var findings: [[String: Any]]

        func has(_ code: String, vhost: String? = nil, queue: String? = nil, path: String? = nil) -> Bool {
            findings.contains { f in
                f["code"] as? String == code && (vhost == nil || f["vhost"] as? String == vhost)
                    && (queue == nil || f["queue"] as? String == queue) && (path == nil || f["path"] as? String == path)
            }
        }
    }

    func verify(_ id: Int, repo: String, _ extra: [String] = []) throws -> Verified {
        let result = try Warren.run(["verify", String(id), "--json"] + extra, repo: repo)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        return Verified(status: result.status, verdict: json["verdict"] as? String ?? "?", findings: json["findings"] as? [[String: Any]] ?? [])
    }

    func register(_ dir: String, node: String, repo: String) throws -> Int {
        let json = try #require(try Warren.json(["register", dir, "--node", node], repo: repo) as? [String: Any])
        return try #require(json["id"] as? Int)
    }

    /// Definitions exported before a classic queue (and a vhost) were declared: the backup is
    /// not viable and names them. Restoring it by hand into a fresh node shows the broker
    /// really deletes that queue's data, so the rule protects against a real loss.
    @Test func undefinedQueueIsNotViableAndReallyLost() throws {
        let work = NSTemporaryDirectory() + "warren-e2e-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let backup = work + "/backup", repo = work + "/repo"
        try RabbitNode.with("e2e-verify-a") { node in
            try node.addVhost("/")
            try node.amqp(["declare", "/", "kept"])
            try node.amqp(["publish", "/", "kept", "--count", "30", "--size", "100"])
            // Definitions are exported first...
            try FileManager.default.createDirectory(atPath: backup, withIntermediateDirectories: true)
            try Data(try node.ctl(["export_definitions", "-", "--quiet"]).utf8).write(to: URL(fileURLWithPath: backup + "/definitions.json"))
            // ...then a queue and a vhost are created and filled, and msg_stores is copied.
            try node.amqp(["declare", "/", "late.orders"])
            try node.amqp(["publish", "/", "late.orders", "--count", "25", "--size", "100"])
            try node.addVhost("late-vhost")
            try node.amqp(["declare", "late-vhost", "q"])
            try node.amqp(["publish", "late-vhost", "q", "--count", "5", "--size", "100"])
            try node.ctl(["stop_app"])
            try Command.check("/bin/cp", ["-a", node.directory + "/msg_stores", backup + "/"])
            try node.ctl(["start_app"])
        }
        #expect(try Warren.run(["init"], repo: repo).status == 0)
        let id = try register(backup, node: "a@localhost", repo: repo)

        let plain = try verify(id, repo: repo)
        #expect(plain.verdict == "not_viable")
        #expect(plain.status == 1)
        #expect(plain.has("queue_not_defined", vhost: "/", queue: "late.orders"))
        #expect(plain.has("vhost_not_defined", vhost: "late-vhost"))
        #expect(!plain.has("queue_not_defined", queue: "kept"))
        let text = try Warren.run(["verify", String(id)], repo: repo)
        #expect(text.status == 1)
        #expect(text.stdout.contains("late.orders") && text.stdout.contains("NOT VIABLE"))

        // Excluding exactly what is undefined makes it viable, and says so.
        let excluded = try verify(id, repo: repo, ["--exclude-queue", "late.*", "--exclude-vhost", "late-vhost"])
        #expect(excluded.verdict == "viable_with_warnings")
        #expect(excluded.status == 0)
        #expect(excluded.has("queue_excluded", queue: "late.orders"))
        #expect(excluded.has("vhost_excluded", vhost: "late-vhost"))
        #expect(try verify(id, repo: repo, ["--exclude-queue", "late.*", "--exclude-vhost", "late-vhost", "--strict"]).status == 1)

        // The loss is real: restore by hand into a fresh node.
        try RabbitNode.with("e2e-verify-b") { fresh in
            try fresh.manualRestore(from: backup)
            let lateDir = RabbitDirectoryName.queue(vhost: "/", queue: "late.orders")
            let queuesDir = fresh.directory + "/msg_stores/vhosts/\(RabbitDirectoryName.vhost("/"))/queues"
            let present = try FileManager.default.contentsOfDirectory(atPath: queuesDir)
            #expect(!present.contains(lateDir), "the broker kept the undefined queue's directory")
            #expect(present.contains(RabbitDirectoryName.queue(vhost: "/", queue: "kept")))
            let counts = try fresh.messageCounts(vhost: "/")
            #expect(counts["kept"] == 30)
            #expect(counts["late.orders"] == nil, "the undefined queue came back")
        }
    }

    /// Integrity, types, targets and diff on one node's backups.
    @Test func integrityTypesTargetsAndDiff() throws {
        let work = NSTemporaryDirectory() + "warren-e2e-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        // Plaintext: it corrupts objects found by their plain SHA-256.
        #expect(try Warren.run(["init", "--no-encryption"], repo: repo).status == 0)
        var first = 0, second = 0
        try RabbitNode.with("e2e-verify-c") { node in
            try node.addVhost("/")
            try node.amqp(["declare", "/", "orders"])
            try node.amqp(["declare", "/", "payments", "--type", "quorum"])
            try node.amqp(["publish", "/", "orders", "--count", "50", "--size", "100"])
            try node.amqp(["publish", "/", "orders", "--count", "5", "--size", "30000"])
            try node.manualBackup(into: work + "/b1")
            first = try register(work + "/b1", node: node.nodeName, repo: repo)
            try node.amqp(["declare", "/", "invoices", "--qversion", "2"])
            try node.amqp(["publish", "/", "invoices", "--count", "20", "--size", "500"])
            try node.manualBackup(into: work + "/b2")
            second = try register(work + "/b2", node: node.nodeName, repo: repo)
        }

        // A quorum queue is a warning, not an error.
        let clean = try verify(first, repo: repo)
        #expect(clean.verdict == "viable_with_warnings" && clean.status == 0)
        #expect(clean.has("quorum_queue_data_not_backed_up", queue: "payments"))
        #expect(!clean.findings.contains { $0["severity"] as? String == "error" })

        // An older target is an error.
        let older = try verify(first, repo: repo, ["--target-version", "3.9.0"])
        #expect(older.verdict == "not_viable" && older.status == 1)
        #expect(older.has("target_older_than_source"))
        #expect(try verify(first, repo: repo, ["--target-version", "3.10.8"]).verdict == "viable_with_warnings")
        #expect(try verify(first, repo: repo, ["--target-version", "4.3.0"]).has("cqv1_unsupported_on_target", queue: "orders"))

        // diff: the queue declared between the backups is added, with its bytes.
        let diff = try #require(try Warren.json(["diff", String(first), String(second)], repo: repo) as? [String: Any])
        let added = ((diff["queues"] as? [String: Any])?["added"] as? [[String: Any]]) ?? []
        #expect(added.contains { $0["name"] as? String == "invoices" && $0["vhost"] as? String == "/" })
        let stored = (diff["stored_queues"] as? [[String: Any]]) ?? []
        let invoices = try #require(stored.first { $0["name"] as? String == "invoices" })
        #expect(invoices["status"] as? String == "added")
        #expect((invoices["bytes_after"] as? Int ?? 0) > 0 && invoices["bytes_before"] as? Int == 0)
        #expect(diff["definitions_changed"] as? Bool == true)

        // The classic queue's data under a definition that says quorum: not viable.
        let retyped = work + "/b1-quorum"
        try Command.check("/bin/cp", ["-a", work + "/b1", retyped])
        var definitions = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: retyped + "/definitions.json"))) as? [String: Any])
        definitions["queues"] = (definitions["queues"] as? [[String: Any]] ?? []).map { queue in
            var queue = queue
            if queue["name"] as? String == "orders" { queue["type"] = "quorum"; queue["arguments"] = ["x-queue-type": "quorum"] }
            return queue
        }
        try JSONSerialization.data(withJSONObject: definitions).write(to: URL(fileURLWithPath: retyped + "/definitions.json"))
        let quorumID = try register(retyped, node: "other@localhost", repo: repo)
        let quorum = try verify(quorumID, repo: repo)
        #expect(quorum.verdict == "not_viable" && quorum.status == 1)
        #expect(quorum.has("queue_not_classic", vhost: "/", queue: "orders"))

        // Flip one byte of the orders queue's index object: size-only passes, --full names it.
        let manifest = try manifestFiles(backup: first, repo: repo)
        // A small CQv1 queue may keep everything in journal.jif, even after a clean stop.
        let index = try #require(manifest.first {
            $0.queue == "orders" && ($0.path.hasSuffix(".idx") || $0.path.hasSuffix("journal.jif")) && $0.size > 10
        })
        let objectPath = repo + "/objects/\(index.sha256.prefix(2))/\(index.sha256)"
        let handle = try #require(FileHandle(forUpdatingAtPath: objectPath))
        try handle.seek(toOffset: 10)
        let byte = try #require(try handle.read(upToCount: 1)).first!
        try handle.seek(toOffset: 10)
        try handle.write(contentsOf: Data([byte ^ 0xFF]))
        try handle.close()
        #expect(try verify(first, repo: repo).verdict == "viable_with_warnings")
        let full = try verify(first, repo: repo, ["--full"])
        #expect(full.verdict == "not_viable" && full.status == 1)
        #expect(full.has("object_corrupt", vhost: "/", queue: "orders", path: index.path))

        // Truncate another object: the size check alone already fails.
        let rdq = try #require(manifest.first { $0.path.hasSuffix(".rdq") && $0.size > 0 })
        let rdqPath = repo + "/objects/\(rdq.sha256.prefix(2))/\(rdq.sha256)"
        #expect(truncate(rdqPath, off_t(rdq.size / 2)) == 0)
        let truncated = try verify(first, repo: repo)
        #expect(truncated.verdict == "not_viable" && truncated.status == 1)
        #expect(truncated.has("object_size_mismatch", path: rdq.path))

        // list shows the last verdict.
        let list = try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]])
        #expect(list.first { $0["id"] as? Int == first }?["last_verdict"] as? String == "not_viable")
    }

    @Test func unknownIdAndMissingRepositoryExitTwoOrMore() throws {
        let work = NSTemporaryDirectory() + "warren-e2e-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        #expect(try Warren.run(["verify", "1"], repo: work + "/none").status >= 2)
        #expect(try Warren.run(["init"], repo: work + "/repo").status == 0)
        #expect(try Warren.run(["verify", "42"], repo: work + "/repo").status == 3)
    }

    struct ManifestFile {
        var path: String
        var size: Int64
        var sha256: String
        var queue: String?
    }

    /// The manifest as recorded, read straight from the catalog with sqlite3.
    func manifestFiles(backup: Int, repo: String) throws -> [ManifestFile] {
        let output = try Command.check("/usr/bin/sqlite3", ["-separator", "\t", repo + "/catalog.sqlite", """
            SELECT mf.path, mf.size, lower(hex(mf.sha256)), COALESCE(sq.name, '') FROM manifest_file mf
            LEFT JOIN store_queue sq ON sq.id = mf.store_queue_id WHERE mf.backup_id = \(backup)
            """])
        return output.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return ManifestFile(path: parts[0], size: Int64(parts[1])!, sha256: parts[2], queue: parts[3].isEmpty ? nil : parts[3])
        }
    }
}
