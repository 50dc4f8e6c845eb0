import Foundation
import Testing
import WarrenCore

/// Issue 4's must-show cases: `warren backup` and `warren restore` on real nodes.
@Suite(.serialized) struct BackupRestoreEndToEndTests {
    static let vhosts = ["/", "shop/eu", "crm app", "ünïcødé"]
    /// (vhost, queue, kind, small messages, large messages)
    static let queues: [(String, String, String, Int, Int)] = [
        ("/", "orders", "v1", 300, 8),
        ("shop/eu", "emails.welcome", "v2", 120, 0),
        ("shop/eu", "emails.receipts", "v1", 0, 6),
        ("crm app", "sync jobs", "v2", 200, 5),
        ("ünïcødé", "événements", "v1", 50, 3),
        ("shop/eu", "payments", "quorum", 20, 0),
    ]

    static func fill(_ node: RabbitNode) throws {
        for vhost in vhosts { try node.addVhost(vhost) }
        for (vhost, queue, kind, small, large) in queues {
            switch kind {
            case "quorum": try node.amqp(["declare", vhost, queue, "--type", "quorum"])
            case "v2": try node.amqp(["declare", vhost, queue, "--qversion", "2"])
            default: try node.amqp(["declare", vhost, queue])
            }
            if small > 0 { try node.amqp(["publish", vhost, queue, "--count", String(small), "--size", "300", "--seed", "s-\(queue)"]) }
            if large > 0 { try node.amqp(["publish", vhost, queue, "--count", String(large), "--size", "60000", "--seed", "l-\(queue)"]) }
        }
    }

    /// count and SHA-256 over the bodies, read without acking (they stay in the queue).
    static func digest(_ node: RabbitNode, _ vhost: String, _ queue: String) throws -> String {
        try node.amqp(["digest", vhost, queue]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Message counts of every queue, by "vhost|queue". Quorum queues are listed with the
    /// count the broker reports, which lags behind publishes: compare them with care.
    static func counts(_ node: RabbitNode) throws -> [String: Int] {
        var all: [String: Int] = [:]
        for vhost in vhosts {
            for (name, count) in try node.messageCounts(vhost: vhost) { all[vhost + "|" + name] = count }
        }
        return all
    }

    /// Counts of the classic queues only: exact at any moment, so fit for equality checks.
    static func classicCounts(_ node: RabbitNode) throws -> [String: Int] {
        let classic = Set(queues.filter { $0.2 != "quorum" }.map { $0.0 + "|" + $0.1 })
        return try counts(node).filter { classic.contains($0.key) }
    }

    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "stdout: \(result.stdout) stderr: \(result.stderr)")
    }

    @Test func roundTripExclusionRefusalAndLiveBackup() throws {
        let work = NSTemporaryDirectory() + "warren-e2e-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        #expect(try Warren.run(["init"], repo: repo).status == 0)

        try RabbitNode.with("e2e-rt-a") { a in
            try Self.fill(a)
            let before = try Self.counts(a)
            var digests: [String: String] = [:]
            for (vhost, queue, kind, _, _) in Self.queues where kind != "quorum" {
                digests[vhost + "|" + queue] = try Self.digest(a, vhost, queue)
            }
            let backup = try json(try Warren.run(["backup", "--node", a.nodeName, "--stop-app", "--json"], repo: repo))
            let id = try #require(backup["id"] as? Int)
            #expect(backup["consistent"] as? Bool == true)
            #expect(try a.messageCounts(vhost: "/")["orders"] == 308, "the app runs again after --stop-app")

            // Live backups of the unchanged node: the second reads almost nothing.
            let live1 = try json(try Warren.run(["backup", "--node", a.nodeName, "--json"], repo: repo))
            let live2 = try json(try Warren.run(["backup", "--node", a.nodeName, "--json"], repo: repo))
            #expect(live1["consistent"] as? Bool == false)
            let logical = try #require(live2["logical_bytes"] as? Int)
            let read = try #require(live2["bytes_read"] as? Int)
            #expect(read * 20 < logical, "second live backup read \(read) of \(logical) bytes")
            #expect(live2["parent_id"] as? Int == live1["id"] as? Int)

            try RabbitNode.with("e2e-rt-b") { b in
                // Round trip into a node with another name.
                let restore = try Warren.run(["restore", String(id), "--node", b.nodeName, "--json"], repo: repo)
                #expect(restore.status == 0, "\(restore.stderr)")
                let result = try json(restore)
                #expect(result["outcome"] as? String == "succeeded")
                let after = try Self.counts(b)
                let classicAfter = try Self.classicCounts(b)
                for (vhost, queue, kind, _, _) in Self.queues {
                    let key = vhost + "|" + queue
                    if kind == "quorum" {
                        #expect(after[key] == 0, "quorum queue \(key) exists, empty")
                    } else {
                        #expect(after[key] == before[key], "count of \(key)")
                        #expect(try Self.digest(b, vhost, queue) == digests[key], "bodies of \(key)")
                    }
                }
                let checks = result["queues"] as? [[String: Any]] ?? []
                #expect(checks.contains { $0["queue"] as? String == "orders" && $0["status"] as? String == "ok" && $0["expected"] as? Int == 308 })
                #expect(checks.contains { $0["queue"] as? String == "payments" && $0["status"] as? String == "definition_only" })

                // Refusal: B's vhosts now hold messages; nothing changes.
                // Moved-aside data lives in the repository, outside the node directory (which
                // RabbitMQ 4.2+ cleans up).
                let asideRoot = repo + "/aside"
                let asideBefore = (try? FileManager.default.contentsOfDirectory(atPath: asideRoot)) ?? []
                let refused = try Warren.run(["restore", String(id), "--node", b.nodeName], repo: repo)
                #expect(refused.status == 9)
                #expect(refused.stderr.contains("already holds messages") && refused.stderr.contains("'/'"))
                #expect(try Self.classicCounts(b) == classicAfter)
                #expect(((try? FileManager.default.contentsOfDirectory(atPath: asideRoot)) ?? []) == asideBefore)

                // With --replace-vhost-data and an exclusion: emails* come back empty, the rest
                // full, and the replaced data is kept aside.
                let replaced = try Warren.run(["restore", String(id), "--node", b.nodeName, "--replace-vhost-data", "--exclude-queue", "emails*"], repo: repo)
                #expect(replaced.status == 0, "\(replaced.stderr)")
                let final = try Self.counts(b)
                for (vhost, queue, kind, _, _) in Self.queues where kind != "quorum" {
                    let key = vhost + "|" + queue
                    #expect(final[key] == (queue.hasPrefix("emails") ? 0 : before[key]), "after exclusion: \(key)")
                }
                let asideAfter = try FileManager.default.contentsOfDirectory(atPath: asideRoot)
                let newAside = try #require(Set(asideAfter).subtracting(asideBefore).first)
                let kept = try FileManager.default.subpathsOfDirectory(atPath: asideRoot + "/" + newAside)
                #expect(kept.contains { $0.hasSuffix(".rdq") }, "the replaced store was kept aside")
                #expect(!FileManager.default.fileExists(atPath: b.directory + "/warren-aside"), "nothing was moved aside inside the node directory")
            }
        }
    }

    @Test func failuresLeaveTheNodeRunningAndExportRestoresByHand() throws {
        let work = NSTemporaryDirectory() + "warren-e2e-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        // Plaintext: it corrupts an object found by its plain SHA-256.
        #expect(try Warren.run(["init", "--no-encryption"], repo: repo).status == 0)
        try RabbitNode.with("e2e-fail-c") { c in
            try Self.fill(c)
            let expected = try Self.classicCounts(c)

            // A failing pre-hook aborts before anything; the post-hook still runs.
            let marker = work + "/post-hook-ran"
            let aborted = try Warren.run(["backup", "--node", c.nodeName, "--stop-app", "--pre-hook", "exit 3",
                                          "--post-hook", "echo $WARREN_OUTCOME > '\(marker)'"], repo: repo)
            #expect(aborted.status == 10)
            #expect(aborted.stderr.contains("pre-hook") && aborted.stderr.contains("exited 3"))
            #expect((try? String(contentsOfFile: marker, encoding: .utf8)) == "failed\n")
            #expect(try Self.classicCounts(c) == expected, "node untouched and running")
            let none = try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]])
            #expect(none.isEmpty)

            let id = try #require(try Warren.json(["backup", "--node", c.nodeName, "--stop-app"], repo: repo) as? [String: Any])["id"] as! Int

            try RabbitNode.with("e2e-fail-d") { d in
                // export, then the documented manual procedure, gives the same counts.
                let exported = work + "/exported"
                #expect(try Warren.run(["export", String(id), exported], repo: repo).status == 0)
                // export writes owner-only files (0700/0600): the operator lets the broker's
                // user read them before importing by hand.
                try Command.check("/bin/chmod", ["-R", "a+rX", exported])
                try d.manualRestore(from: exported)
                let restored = try Self.classicCounts(d)
                for (vhost, queue, kind, _, _) in Self.queues where kind != "quorum" {
                    #expect(restored[vhost + "|" + queue] == expected[vhost + "|" + queue], "exported \(vhost)/\(queue)")
                }

                // A not-viable backup is refused before the node is touched.
                let manual = work + "/manual"
                try FileManager.default.createDirectory(atPath: manual, withIntermediateDirectories: true)
                try Data("""
                    {"rabbit_version":"3.10.8","rabbitmq_version":"3.10.8","users":[],"vhosts":[{"name":"/"}],"permissions":[],
                     "queues":[{"name":"never-declared-here","vhost":"/","durable":true,"auto_delete":false,"arguments":{}}],
                     "exchanges":[],"bindings":[],"policies":[]}
                    """.utf8).write(to: URL(fileURLWithPath: manual + "/definitions.json"))
                try Command.check("/bin/cp", ["-a", exported + "/msg_stores", manual + "/"])
                let bad = try #require(try Warren.json(["register", manual, "--node", "manual@x"], repo: repo) as? [String: Any])["id"] as! Int
                let refused = try Warren.run(["restore", String(bad), "--node", d.nodeName, "--replace-vhost-data"], repo: repo)
                #expect(refused.status == 9)
                #expect(refused.stderr.contains("not viable") && refused.stderr.contains("queue_not_defined"))
                #expect(try d.messageCounts(vhost: "/")["never-declared-here"] == nil, "definitions were not imported")
                #expect(try Self.classicCounts(d) == restored)

                // A copy that fails half-way (a corrupt object) still leaves the app running.
                let object = try #require(try largestObject(backup: id, repo: repo))
                let handle = try #require(FileHandle(forUpdatingAtPath: object))
                try handle.seek(toOffset: 100)
                try handle.write(contentsOf: Data([0x42, 0x43]))
                try handle.close()
                let failed = try Warren.run(["restore", String(id), "--node", d.nodeName, "--replace-vhost-data"], repo: repo)
                #expect(failed.status == 10)
                #expect(failed.stderr.contains("corrupt") && failed.stderr.contains("broker app was started again"))
                #expect(failed.stderr.contains("Wrote "))
                #expect(try d.messageCounts(vhost: "/")["orders"] != nil, "the broker app is running")
            }
        }
    }

    /// Path of the largest object of a backup (an rdq file's).
    func largestObject(backup: Int, repo: String) throws -> String? {
        let hex = try Command.check("/usr/bin/sqlite3", [repo + "/catalog.sqlite",
            "SELECT lower(hex(sha256)) FROM manifest_file WHERE backup_id = \(backup) ORDER BY size DESC LIMIT 1"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return hex.isEmpty ? nil : repo + "/objects/\(hex.prefix(2))/\(hex)"
    }
}
