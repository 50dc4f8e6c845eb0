import Foundation
import Testing

/// Issue 16's must-show zoo on real 3.10.8 nodes: priority queues v1 and v2, a durable queue
/// with persistent and transient messages, a non-durable queue, an exclusive queue held open,
/// an internal exchange with an exchange-to-exchange binding, an operator policy, and a vhost
/// with 1,000 queues (which needs the raised nofile limit of Tools/rabbitmq-node).
/// `backup --stop-app` names every loss before stopping, verify names them, restore brings
/// back every persistent message and fails its post-check for exactly the lost ones.
@Suite(.serialized) struct ZooEndToEndTests {
    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "stdout: \(result.stdout) stderr: \(result.stderr)")
    }

    static let priorityQueues = ["zoo.prio.v1", "zoo.prio.v2"]

    static func fill(_ a: RabbitNode) throws {
        try a.addVhost("/")
        try a.addVhost("many")
        try a.amqp(["many", "many", "q", "--count", "1000", "--qversion", "2"])
        try a.amqp(["declare", "/", "zoo.prio.v1", "--max-priority", "4"])
        try a.amqp(["declare", "/", "zoo.prio.v2", "--max-priority", "4", "--qversion", "2"])
        for queue in priorityQueues {
            for priority in [0, 2, 4] {
                try a.amqp(["publish", "/", queue, "--count", "2", "--size", "100", "--priority", String(priority), "--seed", "\(queue)-\(priority)"])
            }
        }
        // The same persistent bodies in two queues: "copy" is what "mixed" must come back as.
        for queue in ["zoo.mixed", "zoo.mixed.copy"] {
            try a.amqp(["declare", "/", queue])
            try a.amqp(["publish", "/", queue, "--count", "5", "--size", "5000", "--seed", "mixed-p"])
        }
        try a.amqp(["publish", "/", "zoo.mixed", "--count", "4", "--size", "100", "--transient", "--seed", "mixed-t"])
        try a.amqp(["declare", "/", "zoo.nondurable", "--non-durable"])
        try a.amqp(["publish", "/", "zoo.nondurable", "--count", "3", "--size", "100", "--seed", "nd"])
        try a.amqp(["topology", "/"])
        try a.ctl(["set_operator_policy", "-p", "/", "zoo-limit", "^zoo\\.", #"{"max-length":1000}"#, "--apply-to", "queues"])
    }

    /// Bindings of vhost "/" that are not the default exchange's, as "source>destination".
    static func bindings(_ node: RabbitNode) throws -> Set<String> {
        Set(try node.ctlJSON(["list_bindings", "-p", "/", "source_name", "destination_name"]).compactMap { row in
            guard let source = row["source_name"] as? String, !source.isEmpty else { return nil }
            return "\(source)>\(row["destination_name"] as? String ?? "")"
        })
    }

    @Test func zooBackupNamesEveryLossAndRestoreFailsForExactlyThem() throws {
        let work = NSTemporaryDirectory() + "warren-zoo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        #expect(try Warren.run(["init"], repo: repo).status == 0)

        try RabbitNode.with("e2e-zoo-a") { a in
            try Self.fill(a)
            // An exclusive queue with 3 messages, its connection held open by a helper.
            let ready = work + "/exclusive.ready"
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: RabbitNode.amqpTool)
            holder.arguments = ["--port", String(a.port), "exclusive", "/", "zoo.exclusive", "--count", "3", "--ready-file", ready, "--seconds", "600"]
            holder.standardOutput = FileHandle.nullDevice
            holder.standardError = FileHandle.nullDevice
            try holder.run()
            defer { if holder.isRunning { holder.terminate(); holder.waitUntilExit() } }
            while !FileManager.default.fileExists(atPath: ready) && holder.isRunning { usleep(100_000) }
            #expect(try a.messageCounts(vhost: "/")["zoo.exclusive"] == 3)
            let sourceBindings = try Self.bindings(a)
            #expect(sourceBindings.isSuperset(of: ["zoo.front>zoo.internal", "zoo.internal>zoo.routed"]))
            var orders: [String: String] = [:]
            for queue in Self.priorityQueues + ["zoo.mixed.copy"] {
                orders[queue] = try a.amqp(["order", "/", queue]).trimmingCharacters(in: .whitespacesAndNewlines)
            }

            // --refuse-loss: refused before stopping, the app still runs, nothing stored.
            let refused = try Warren.run(["backup", "--node", a.nodeName, "--stop-app", "--refuse-loss"], repo: repo)
            #expect(refused.status == 14, "\(refused.stderr)")
            #expect(refused.stderr.contains("'zoo.mixed'") && refused.stderr.contains("'zoo.nondurable'") && refused.stderr.contains("'zoo.exclusive'"))
            #expect(try a.messageCounts(vhost: "/")["zoo.exclusive"] == 3, "the app was not stopped")
            let listed = try JSONSerialization.jsonObject(with: Data(try Warren.run(["list", "--json"], repo: repo).stdout.utf8)) as? [Any]
            #expect(listed?.isEmpty == true, "nothing recorded")

            let backup = try Warren.run(["backup", "--node", a.nodeName, "--stop-app", "--json"], repo: repo)
            #expect(backup.status == 0, "\(backup.stderr)")
            #expect(backup.stderr.contains("stopping the app drops"))
            let taken = try json(backup)
            let id = try #require(taken["id"] as? Int)
            let losses = try #require(taken["losses"] as? [[String: Any]])
            let named = Set(losses.map { "\($0["kind"] as? String ?? "")|\($0["queue"] as? String ?? $0["exchange"] as? String ?? "")|\($0["messages"] as? Int ?? -1)" })
            #expect(named == ["transient_messages|zoo.mixed|4", "non_durable_queue|zoo.nondurable|3", "exclusive_queue|zoo.exclusive|3",
                              "non_durable_exchange|zoo.temp|0"], "\(named)")

            let verify = try json(try Warren.run(["verify", String(id), "--json"], repo: repo))
            let findings = try #require(verify["findings"] as? [[String: Any]])
            let lost = Set(findings.filter { $0["code"] as? String == "messages_not_backed_up" }.compactMap { $0["queue"] as? String })
            #expect(lost == ["zoo.mixed", "zoo.nondurable", "zoo.exclusive"], "\(findings)")
            #expect(findings.contains { $0["code"] as? String == "exchange_not_durable" && ($0["message"] as? String)?.contains("zoo.temp") == true })
            #expect(findings.contains { $0["code"] as? String == "internal_exchange_added" && ($0["message"] as? String)?.contains("zoo.internal") == true })
            #expect(!findings.contains { $0["code"] as? String == "binding_exchange_missing" })
            #expect(verify["verdict"] as? String != "not_viable", "\(findings)")

            try RabbitNode.with("e2e-zoo-b") { b in
                let restore = try Warren.run(["restore", String(id), "--node", b.nodeName, "--json"], repo: repo)
                #expect(restore.status == 1, "the post-check fails: \(restore.stderr)")
                let result = try json(restore)
                #expect(result["outcome"] as? String == "short")
                let checks = result["queues"] as? [[String: Any]] ?? []
                let failing = Set(checks.filter { ["short", "missing", "type_changed"].contains($0["status"] as? String ?? "") }.compactMap { $0["queue"] as? String })
                #expect(failing == ["zoo.mixed", "zoo.nondurable", "zoo.exclusive"], "\(checks.filter { $0["status"] as? String != "ok" })")
                #expect(checks.filter { $0["status"] as? String == "ok" }.count == checks.count - 3)
                #expect(checks.contains { $0["queue"] as? String == "zoo.mixed" && $0["expected"] as? Int == 9 && $0["restored"] as? Int == 5 })
                #expect((result["definitions_repairs"] as? [String])?.contains { $0.contains("zoo.internal") } == true)

                // Every persistent message, bodies and priority order equal.
                for queue in Self.priorityQueues + ["zoo.mixed.copy"] {
                    #expect(try b.amqp(["order", "/", queue]).trimmingCharacters(in: .whitespacesAndNewlines) == orders[queue], "\(queue)")
                }
                let mixed = try b.amqp(["order", "/", "zoo.mixed"]).split(separator: " ").prefix(2)
                let copy = orders["zoo.mixed.copy"]!.split(separator: " ").prefix(2)
                #expect(mixed == copy, "zoo.mixed came back as its 5 persistent messages")
                #expect(try b.messageCounts(vhost: "many").values.reduce(0, +) == 1000)
                // Every binding and the operator policy are on the target.
                let targetBindings = try Self.bindings(b)
                #expect(targetBindings.isSuperset(of: ["zoo.front>zoo.internal", "zoo.internal>zoo.routed"]), "\(targetBindings)")
                let policies = try b.ctlJSON(["list_operator_policies", "-p", "/"])
                #expect(policies.contains { $0["name"] as? String == "zoo-limit" }, "\(policies)")
            }
        }
    }
}
