import Foundation
import Testing
import WarrenCore

/// Issue 7: the offline counts read from a backup's index files must equal what the broker
/// reported at backup time (`list_queues`, recorded by `warren backup` before stop_app), for
/// every case. Each mismatch names its case.
@Suite(.serialized) struct MessageCountEndToEndTests {
    /// A queue set up for one case: name, index version, and how it is filled.
    struct Case: Sendable {
        var name: String
        var version: Int
        var fill: @Sendable (RabbitNode, String) throws -> Void
    }

    static func publish(_ node: RabbitNode, _ queue: String, count: Int, size: Int) throws {
        try node.amqp(["publish", "/", queue, "--count", String(count), "--size", String(size)])
    }

    static let cases: [Case] = [1, 2].flatMap { (v: Int) -> [Case] in [
        Case(name: "small-only.v\(v)", version: v) { n, q in try publish(n, q, count: 400, size: 200) },
        Case(name: "large-only.v\(v)", version: v) { n, q in try publish(n, q, count: 25, size: 30_000) },
        Case(name: "mixed.v\(v)", version: v) { n, q in
            try publish(n, q, count: 150, size: 100); try publish(n, q, count: 12, size: 50_000); try publish(n, q, count: 150, size: 3000)
        },
        Case(name: "multi-segment-10k.v\(v)", version: v) { n, q in try publish(n, q, count: 10_500, size: 40) },
        Case(name: "acked-every-other.v\(v)", version: v) { n, q in
            try publish(n, q, count: 300, size: 150)
            try n.amqp(["get", "/", q, "--count", "200", "--ack-every", "2"])
        },
        Case(name: "empty.v\(v)", version: v) { _, _ in },
        Case(name: "purged.v\(v)", version: v) { n, q in
            try publish(n, q, count: 500, size: 100); try publish(n, q, count: 5, size: 20_000)
            try n.ctl(["purge_queue", "-p", "/", q])
        },
    ] }

    func declare(_ node: RabbitNode, _ c: Case) throws {
        try node.amqp(["declare", "/", c.name] + (c.version == 2 ? ["--qversion", "2"] : []))
    }

    /// queue name → offline count, from `warren show --json`.
    func offlineCounts(_ id: Int, repo: String) throws -> [String: Int] {
        let show = try #require(try Warren.json(["show", String(id)], repo: repo) as? [String: Any])
        var counts: [String: Int] = [:]
        for q in show["queues"] as? [[String: Any]] ?? [] {
            guard let name = q["name"] as? String else { continue }
            if let error = q["index_error"] as? String { Issue.record("\(name): index unreadable: \(error)") }
            counts[name] = q["messages"] as? Int ?? (q["has_data"] as? Bool == true ? -1 : 0)
        }
        return counts
    }

    @Test func offlineCountsMatchTheBroker() throws {
        let work = NSTemporaryDirectory() + "warren-e2e-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        #expect(try Warren.run(["init"], repo: repo).status == 0)
        try RabbitNode.with("e2e-count") { node in
            try node.addVhost("/")
            for c in Self.cases {
                try declare(node, c)
                try c.fill(node, c.name)
            }
            // Delivered, not acked, at stop time: a consumer holds 40 of 100 across stop_app.
            let inflight = ["inflight.v1", "inflight.v2"]
            var holders: [Process] = []
            for (i, name) in inflight.enumerated() {
                try node.amqp(["declare", "/", name] + (i == 1 ? ["--qversion", "2"] : []))
                try Self.publish(node, name, count: 100, size: 250)
                let ready = work + "/\(name).ready"
                let holder = Process()
                holder.executableURL = URL(fileURLWithPath: RabbitNode.amqpTool)
                holder.arguments = ["--port", String(node.port), "hold", "/", name, "--count", "40", "--ready-file", ready, "--seconds", "120"]
                holder.standardOutput = FileHandle.nullDevice
                holder.standardError = FileHandle.nullDevice
                try holder.run()
                holders.append(holder)
                for _ in 0..<100 where !FileManager.default.fileExists(atPath: ready) { Thread.sleep(forTimeInterval: 0.1) }
                #expect((try? String(contentsOfFile: ready, encoding: .utf8)) == "40", "\(name): holder took its messages")
            }
            defer { holders.forEach { $0.terminate() } }

            let backup = try #require(try Warren.json(["backup", "--node", node.nodeName, "--stop-app"], repo: repo) as? [String: Any])
            let id = try #require(backup["id"] as? Int)
            let broker = try expectedCounts(id, repo: repo)
            let offline = try offlineCounts(id, repo: repo)
            for name in Self.cases.map(\.name) + inflight {
                let expected = try #require(broker[name], "case \(name): no broker count recorded")
                #expect(offline[name, default: 0] == expected, "case \(name): offline \(offline[name, default: 0]) vs broker \(expected)")
            }
            #expect(broker["inflight.v1"] == 100 && broker["multi-segment-10k.v1"] == 10_500 && broker["acked-every-other.v2"] == 200)
            let list = try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]])
            #expect(list.first?["message_count"] as? Int == broker.values.reduce(0, +), "list total")

            // A CQv1 backup taken live (no --stop-app) holds a non-empty journal.jif.
            try node.amqp(["declare", "/", "live-journal.v1"])
            try Self.publish(node, "live-journal.v1", count: 120, size: 300)
            // An idle queue folds its journal into segments within a second; a consumer that
            // gets and requeues keeps it busy without changing the count or the index.
            let churn = Process()
            churn.executableURL = URL(fileURLWithPath: RabbitNode.amqpTool)
            let ready = NSTemporaryDirectory() + "warren-churn-\(UUID().uuidString)"
            defer { unlink(ready) }
            // Runs until terminated below; the test waits for states, never for a time.
            churn.arguments = ["--port", String(node.port), "churn", "/", "live-journal.v1", "--seconds", "3600", "--ready-file", ready]
            churn.standardOutput = FileHandle.nullDevice
            churn.standardError = FileHandle.nullDevice
            try churn.run()
            defer { churn.terminate() }
            // The live copy must see a non-empty journal: wait until the churn has requeued a
            // message and the node's journal.jif holds something (the bound is only a guard).
            let queueDir = node.directory + "/msg_stores/vhosts/" + RabbitDirectoryName.vhost("/") + "/queues/"
                + RabbitDirectoryName.queue(vhost: "/", queue: "live-journal.v1")
            var journalSeen = false
            for _ in 0..<6000 where !journalSeen {
                let size = (try? FileManager.default.attributesOfItem(atPath: queueDir + "/journal.jif")[.size] as? Int) ?? 0
                journalSeen = FileManager.default.fileExists(atPath: ready) && size > 0
                if !journalSeen { usleep(100_000) }
            }
            #expect(journalSeen, "case live-journal.v1: the node's journal.jif never became non-empty while churning")
            let live = try #require(try Warren.json(["backup", "--node", node.nodeName], repo: repo) as? [String: Any])
            let liveID = try #require(live["id"] as? Int)
            let journal = try Command.check("/usr/bin/sqlite3", [repo + "/catalog.sqlite", """
                SELECT mf.size FROM manifest_file mf JOIN store_queue sq ON sq.id = mf.store_queue_id
                WHERE mf.backup_id = \(liveID) AND sq.name = 'live-journal.v1' AND mf.path LIKE '%/journal.jif'
                """]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect((Int(journal) ?? 0) > 0, "case live-journal.v1: journal.jif should be non-empty, is \(journal)")
            #expect(try offlineCounts(liveID, repo: repo)["live-journal.v1"] == 120, "case live-journal.v1")
        }
    }

    /// The broker's counts recorded by `warren backup`, by queue name.
    func expectedCounts(_ id: Int, repo: String) throws -> [String: Int] {
        let rows = try Command.check("/usr/bin/sqlite3", ["-separator", "\t", repo + "/catalog.sqlite",
                                                          "SELECT queue, messages FROM expected_count WHERE backup_id = \(id)"])
        var counts: [String: Int] = [:]
        for line in rows.split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { counts[String(parts[0])] = Int(parts[1]) }
        }
        return counts
    }
}
