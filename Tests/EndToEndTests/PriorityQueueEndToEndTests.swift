import Foundation
import Testing

/// Issue 16 §1: a priority queue (`x-max-priority`) keeps one directory per level, whose
/// `.queue_name` says `QUEUE: <name>\0<level byte>`. Backup, show, verify and restore on
/// real 3.10.8 nodes, in CQv1 and CQv2, with level 10 (the byte 0x0A, a newline) among them.
@Suite(.serialized) struct PriorityQueueEndToEndTests {
    /// queue → (index version, x-max-priority, [(priority, messages)]); 13 is above the
    /// maximum of "prio.v1", so the broker keeps it at level 10 with the 10s.
    static let queues: [(String, Int, Int, [(Int, Int)])] = [
        ("prio.v1", 1, 10, [(0, 5), (3, 4), (10, 2), (13, 1)]),
        ("prio.v2", 2, 5, [(0, 3), (2, 2), (5, 4)]),
    ]
    /// Levels holding messages, highest first, with their counts. (CQv2 also keeps a
    /// directory for each empty level up to x-max-priority; CQv1 does not.)
    static let levels: [String: [[Int]]] = [
        "prio.v1": [[10, 3], [3, 4], [0, 5]],
        "prio.v2": [[5, 4], [2, 2], [0, 3]],
    ]

    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "stdout: \(result.stdout) stderr: \(result.stderr)")
    }

    @Test func priorityQueuesRoundTripWithTheirLevelsAndOrder() throws {
        let work = NSTemporaryDirectory() + "warren-prio-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        #expect(try Warren.run(["init"], repo: repo).status == 0)

        try RabbitNode.with("e2e-prio-a") { a in
            try a.addVhost("/")
            for (queue, version, max, batches) in Self.queues {
                try a.amqp(["declare", "/", queue, "--qversion", String(version), "--max-priority", String(max)])
                for (priority, count) in batches {
                    try a.amqp(["publish", "/", queue, "--count", String(count), "--size", "200", "--priority", String(priority), "--seed", "\(queue)-\(priority)"])
                }
            }
            var orders: [String: String] = [:]
            for (queue, _, _, _) in Self.queues { orders[queue] = try a.amqp(["order", "/", queue]).trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(orders["prio.v1"]?.hasSuffix(" 10,10,13,3,3,3,3,0,0,0,0,0") == true, "consumed highest first: \(orders["prio.v1"] ?? "")")

            // Before: "contains a NUL byte", exit 10.
            let backup = try Warren.run(["backup", "--node", a.nodeName, "--stop-app", "--json"], repo: repo)
            #expect(backup.status == 0, "\(backup.stderr)")
            let id = try #require(try json(backup)["id"] as? Int)

            let show = try json(try Warren.run(["show", String(id), "--json"], repo: repo))
            let shown = try #require(show["queues"] as? [[String: Any]])
            var storedLevels: [String: Int] = [:]
            for (queue, _, _, batches) in Self.queues {
                let entry = try #require(shown.first { $0["name"] as? String == queue }, "\(queue) listed once under its name")
                #expect(shown.filter { $0["name"] as? String == queue }.count == 1)
                #expect(entry["messages"] as? Int == batches.reduce(0) { $0 + $1.1 }, "\(queue): the levels add up")
                #expect(entry["problem"] == nil || entry["problem"] is NSNull, "\(queue): \(entry["problem"] ?? "")")
                let levels = try #require(entry["priority_levels"] as? [[String: Any]])
                let counted = levels.map { [$0["priority"] as? Int ?? -1, $0["messages"] as? Int ?? -1] }
                #expect(counted.filter { $0[1] != 0 } == Self.levels[queue], "\(queue): \(counted)")
                #expect(counted.map { $0[0] } == counted.map { $0[0] }.sorted(by: >), "highest first")
                storedLevels[queue] = levels.count
                #expect(levels.allSatisfy { $0["dir_matches_name"] as? Bool == true })
            }
            let text = try Warren.run(["show", String(id)], repo: repo).stdout
            #expect(text.contains("priority 10") && text.contains("priority 5"))

            let verify = try json(try Warren.run(["verify", String(id), "--json"], repo: repo))
            let verifyFindings = try #require(verify["findings"] as? [[String: Any]])
            #expect(verifyFindings.allSatisfy { $0["severity"] as? String != "error" }, "\(verifyFindings)")
            #expect(verify["verdict"] as? String != "not_viable")

            // The same data with a definition that lost x-max-priority: every level is named.
            let manual = work + "/manual"
            try a.manualBackup(into: manual)
            let definitions = try String(contentsOfFile: manual + "/definitions.json", encoding: .utf8)
            let edited = definitions.replacingOccurrences(of: #""x-max-priority"\s*:\s*5"#, with: #""x-priority-gone":5"#, options: .regularExpression)
            #expect(edited != definitions)
            try edited
                .write(toFile: manual + "/definitions.json", atomically: true, encoding: .utf8)
            let registered = try json(try Warren.run(["register", manual, "--node", a.nodeName, "--json"], repo: repo))
            let manualID = try #require(registered["id"] as? Int)
            let bad = try Warren.run(["verify", String(manualID), "--json"], repo: repo)
            let findings = try #require(try json(bad)["findings"] as? [[String: Any]])
            let undefined = findings.filter { $0["code"] as? String == "queue_priority_not_defined" }
            #expect(undefined.count == storedLevels["prio.v2"] && undefined.allSatisfy { $0["queue"] as? String == "prio.v2" }, "\(findings)")
            #expect(try json(bad)["verdict"] as? String == "not_viable")

            try RabbitNode.with("e2e-prio-b") { b in
                let restore = try Warren.run(["restore", String(id), "--node", b.nodeName, "--json"], repo: repo)
                #expect(restore.status == 0, "\(restore.stderr)")
                let result = try json(restore)
                #expect(result["outcome"] as? String == "succeeded")
                let checks = result["queues"] as? [[String: Any]] ?? []
                for (queue, _, _, batches) in Self.queues {
                    #expect(checks.contains { $0["queue"] as? String == queue && $0["status"] as? String == "ok" && $0["expected"] as? Int == batches.reduce(0) { $0 + $1.1 } }, "\(checks)")
                    // Count, bodies and priorities in consumed order: every level came back.
                    #expect(try b.amqp(["order", "/", queue]).trimmingCharacters(in: .whitespacesAndNewlines) == orders[queue], "\(queue)")
                }
                let arguments = try b.ctlJSON(["list_queues", "name", "arguments"])
                #expect(arguments.count == 2)
            }
        }
    }
}
