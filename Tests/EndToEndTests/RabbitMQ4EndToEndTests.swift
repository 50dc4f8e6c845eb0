import Foundation
import Testing
import WarrenCore

/// Issue 15's matrix on real brokers: RabbitMQ 3.10.8 (the host's package) and 4.0.5 (Debian
/// 13's, in the chroot Tools/setup builds). Counts and body digests (Tools/amqp digest) are
/// compared before and after. Warren drives 4.0 nodes with their own 4.0.5 rabbitmqctl, whose
/// `import_definitions` never reads stdin (rabbitmq-server#13157).
@Suite(.serialized) struct RabbitMQ4EndToEndTests {
    struct Queue {
        var vhost: String
        var name: String
        /// 1 or 2 on 3.10; ignored by 4.0 (always v2).
        var version: Int
        var small: Int
        var large: Int
    }

    static func fill(_ node: RabbitNode, _ queues: [Queue]) throws {
        for vhost in Set(queues.map(\.vhost)) { try node.addVhost(vhost) }
        for q in queues {
            try node.amqp(["declare", q.vhost, q.name] + (q.version == 2 ? ["--qversion", "2"] : []))
            if q.small > 0 { try node.amqp(["publish", q.vhost, q.name, "--count", String(q.small), "--size", "300", "--seed", "s-\(q.name)"]) }
            if q.large > 0 { try node.amqp(["publish", q.vhost, q.name, "--count", String(q.large), "--size", "60000", "--seed", "l-\(q.name)"]) }
        }
    }

    /// "vhost|queue" → the digest line (count and SHA-256 of the bodies, read without acking).
    static func digests(_ node: RabbitNode, _ queues: [Queue]) throws -> [String: String] {
        var all: [String: String] = [:]
        for q in queues {
            all[q.vhost + "|" + q.name] = try node.amqp(["digest", q.vhost, q.name]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return all
    }

    /// "vhost|queue" → (type, messages) as the broker lists them.
    static func listed(_ node: RabbitNode, vhosts: [String]) throws -> [String: String] {
        var all: [String: String] = [:]
        for vhost in vhosts {
            for row in try node.ctlJSON(["list_queues", "-p", vhost, "name", "type", "messages"]) {
                all[vhost + "|" + (row["name"] as? String ?? "?")] = "\(row["type"] as? String ?? "?") \(row["messages"] as? Int ?? -1)"
            }
        }
        return all
    }

    /// queue name → offline count, from `warren show --json`.
    static func offlineCounts(_ id: Int, repo: String) throws -> [String: Int] {
        let show = try #require(try Warren.json(["show", String(id)], repo: repo) as? [String: Any])
        var counts: [String: Int] = [:]
        for q in show["queues"] as? [[String: Any]] ?? [] {
            guard let name = q["name"] as? String else { continue }
            if let error = q["index_error"] as? String { Issue.record("\(name): index unreadable: \(error)") }
            counts[(q["vhost"] as? String ?? "?") + "|" + name] = q["messages"] as? Int ?? -1
        }
        return counts
    }

    static func object(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "stdout: \(result.stdout) stderr: \(result.stderr)")
    }

    static func workDirectory() throws -> String {
        let work = NSTemporaryDirectory() + "warren-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        return work
    }

    /// 3.10 → 4.0.5: a backup holding CQv1 and CQv2 queues comes back whole after 4.0's boot-time
    /// conversion, also into a vhost whose default queue type is quorum (the import pins
    /// `x-queue-type: classic`; without it those queues became quorum and lost their data).
    @Test func restoreOf310BackupInto405() throws {
        let work = try Self.workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        #expect(try Warren.run(["init"], repo: repo).status == 0)
        let queues = [
            Queue(vhost: "/", name: "orders.v1", version: 1, small: 200, large: 3),
            Queue(vhost: "shop", name: "mail.v2", version: 2, small: 150, large: 2),
            Queue(vhost: "shop", name: "jobs.v1", version: 1, small: 80, large: 0),
        ]
        try RabbitNode.with("e2e-r4-a") { a in
            try Self.fill(a, queues)
            // Classic mirroring, which 4.x removed (issue 15): ha-* policy keys (one policy with
            // nothing else, one with max-length too) and a queue with an x-ha-* argument.
            try a.ctl(["set_policy", "-p", "shop", "ha-mixed", "^mail\\.", "{\"ha-mode\":\"all\",\"max-length\":1000000}", "--apply-to", "queues"])
            try a.ctl(["set_policy", "ha-only", "^nothing$", "{\"ha-mode\":\"all\",\"ha-sync-mode\":\"automatic\"}"])
            let legacy = work + "/legacy-ha.json"
            try Data(#"{"queues": [{"name": "legacy.ha", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {"x-ha-policy": "all"}}]}"#.utf8)
                .write(to: URL(fileURLWithPath: legacy))
            try a.ctl(["import_definitions", legacy])
            let digests = try Self.digests(a, queues)
            let before = try Self.listed(a, vhosts: ["/", "shop"])
            let backup = try Self.object(try Warren.run(["backup", "--node", a.nodeName, "--stop-app", "--json"], repo: repo))
            let id = try #require(backup["id"] as? Int)

            // 4.3+ cannot read CQv1: not viable, naming exactly the v1 queues.
            let v43 = try Warren.run(["verify", String(id), "--target-version", "4.3.0", "--json"], repo: repo)
            #expect(v43.status == 1)
            let v43Report = try Self.object(v43)
            #expect(v43Report["verdict"] as? String == "not_viable")
            let unsupported = (v43Report["findings"] as? [[String: Any]] ?? []).filter { $0["code"] as? String == "cqv1_unsupported_on_target" }
            #expect(Set(unsupported.compactMap { $0["queue"] as? String }) == ["orders.v1", "jobs.v1"], "\(v43.stdout)")

            try RabbitNode.with("e2e-r4-b", version: .v4_0) { b in
                // The dry run says the node name changes and that classic queues come back.
                let dry = try Self.object(try Warren.run(["restore", String(id), "--node", b.nodeName, "--rabbitmqctl", b.rabbitmqctl, "--dry-run", "--json"], repo: repo))
                let change = try #require((dry["plan"] as? [String: Any])?["node_name_change"] as? [String: Any], "\(dry)")
                #expect(change["from"] as? String == a.nodeName)
                #expect(change["to"] as? String == b.nodeName)
                #expect((change["message"] as? String ?? "").contains("works for classic queues"))
                let text = try Warren.run(["restore", String(id), "--node", b.nodeName, "--rabbitmqctl", b.rabbitmqctl, "--dry-run"], repo: repo)
                #expect(text.stdout.contains("node name: the backup was taken on \(a.nodeName)"), "\(text.stdout)")
                #expect(b.versionText.hasPrefix("4.0.5"))
                try b.ctl(["add_vhost", "shop", "--default-queue-type", "quorum"])
                try b.addVhost("shop")
                // verify --target-node reads the node's vhosts: shop's quorum default would turn
                // both its classic queues into quorum queues on a plain import; "/" is classic.
                let checked = try Warren.run(["verify", String(id), "--target-node", b.nodeName, "--rabbitmqctl", b.rabbitmqctl, "--json"], repo: repo)
                #expect(checked.status == 0, "\(checked.stderr)")
                let findings = try Self.object(checked)["findings"] as? [[String: Any]] ?? []
                let defaults = findings.filter { $0["code"] as? String == "target_default_queue_type" }
                #expect(defaults.count == 1 && defaults.first?["vhost"] as? String == "shop" && defaults.first?["severity"] as? String == "warning", "\(findings)")
                let defaultText = defaults.first?["message"] as? String ?? ""
                #expect(defaultText.contains("default_queue_type quorum") && defaultText.contains("'jobs.v1', 'mail.v2'") && defaultText.contains("classic type pinning"), "\(defaultText)")
                // Against 4.x: each mirroring policy and queue argument is named.
                let ha = findings.filter { $0["code"] as? String == "ha_policy_unsupported_on_target" }
                let haPolicies = Set(ha.map { f -> String in
                    let text = f["message"] as? String ?? ""
                    return "\(f["vhost"] as? String ?? "?") " + (text.hasPrefix("policy 'ha-mixed'") ? "ha-mixed" : text.hasPrefix("policy 'ha-only'") ? "ha-only" : text)
                })
                #expect(haPolicies == ["shop ha-mixed", "/ ha-only"], "\(ha)")
                let args = findings.filter { $0["code"] as? String == "ha_argument_ignored_on_target" }
                #expect(args.map { $0["queue"] as? String } == ["legacy.ha"], "\(args)")
                let restore = try Warren.run(["restore", String(id), "--node", b.nodeName, "--rabbitmqctl", b.rabbitmqctl, "--json"], repo: repo)
                #expect(restore.status == 0, "\(restore.stderr)")
                let result = try Self.object(restore)
                #expect(result["outcome"] as? String == "succeeded")
                #expect(result["classic_type_pinned"] as? Int == 4)
                // The ha-* keys were taken out before the import (4.0.5 refuses the whole file
                // for them): ha-only dropped, ha-mixed kept with max-length, and said so.
                let repairs = result["definitions_repairs"] as? [String] ?? []
                #expect(repairs.contains { $0.hasPrefix("policy 'ha-only' in vhost '/' dropped") }, "\(repairs)")
                #expect(repairs.contains { $0.hasPrefix("policy 'ha-mixed' in vhost 'shop': ha-mode removed") }, "\(repairs)")
                let policies = try b.ctlJSON(["list_policies", "-p", "shop"])
                #expect(policies.map { $0["name"] as? String } == ["ha-mixed"], "\(policies)")
                let definition = "\(policies.first?["definition"] ?? "")"
                #expect(definition.contains("max-length") && !definition.contains("ha-mode"), "\(definition)")
                #expect(try b.ctlJSON(["list_policies", "-p", "/"]).isEmpty)
                #expect(try Self.listed(b, vhosts: ["/", "shop"]) == before, "every queue classic with its count")
                #expect(try Self.digests(b, queues) == digests, "every body back")
            }
        }
    }

    /// 4.0.5 as the source: register of a manual backup and backup --stop-app with offline counts
    /// equal to the broker's; verify --target-node against the running 4.0.5 node; a 3.10 target
    /// refused before anything is touched; restore into a fresh 4.0.5 node.
    @Test func backupsOf405() throws {
        let work = try Self.workDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        #expect(try Warren.run(["init"], repo: repo).status == 0)
        let queues = [
            Queue(vhost: "/", name: "orders", version: 2, small: 250, large: 3),
            Queue(vhost: "crm", name: "sync", version: 2, small: 100, large: 1),
        ]
        try RabbitNode.with("e2e-s4-a", version: .v4_0) { a in
            try Self.fill(a, queues)
            // Half of "orders" consumed: acks in the index must not count.
            try a.amqp(["get", "/", "orders", "--count", "120"])
            let digests = try Self.digests(a, queues)
            let broker = try a.messageCounts(vhost: "/").mapKeys { "/|" + $0 }.merging(try a.messageCounts(vhost: "crm").mapKeys { "crm|" + $0 }) { x, _ in x }
            #expect(broker["/|orders"] == 133)

            try a.manualBackup(into: work + "/manual")
            let manual = try #require(try Warren.json(["register", work + "/manual", "--node", a.nodeName], repo: repo) as? [String: Any])
            #expect(try Self.offlineCounts(try #require(manual["id"] as? Int), repo: repo) == broker, "register: offline counts = broker's")

            let backup = try Self.object(try Warren.run(["backup", "--node", a.nodeName, "--rabbitmqctl", a.rabbitmqctl, "--stop-app", "--json"], repo: repo))
            let id = try #require(backup["id"] as? Int)
            #expect(backup["consistent"] as? Bool == true)
            #expect(try Self.offlineCounts(id, repo: repo) == broker, "backup --stop-app: offline counts = broker's")

            let verified = try Warren.run(["verify", String(id), "--target-node", a.nodeName, "--rabbitmqctl", a.rabbitmqctl, "--json"], repo: repo)
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            let report = try Self.object(verified)
            let findings = report["findings"] as? [[String: Any]] ?? []
            #expect(["viable", "viable_with_warnings"].contains(report["verdict"] as? String ?? "?"), "\(verified.stdout)")
            #expect(!findings.contains { $0["severity"] as? String == "error" }, "\(verified.stdout)")
            #expect(!findings.contains { $0["code"] as? String == "target_older_than_source" })
            print("verify --target-node 4.0.5 findings: \(findings.map { "\($0["code"] ?? "?"): \($0["message"] ?? "")" })")

            try RabbitNode.with("e2e-s4-old") { old in
                let vhostsBefore = try old.ctl(["list_vhosts", "-q"])
                let older = try Warren.run(["verify", String(id), "--target-node", old.nodeName, "--json"], repo: repo)
                #expect(older.status == 1)
                let findings = try Self.object(older)["findings"] as? [[String: Any]] ?? []
                #expect(findings.contains { $0["code"] as? String == "target_older_than_source" }, "\(older.stdout)")
                let refused = try Warren.run(["restore", String(id), "--node", old.nodeName], repo: repo)
                #expect(refused.status == 9, "\(refused.stderr)")
                #expect(refused.stderr.contains("older than"), "\(refused.stderr)")
                #expect(try old.ctl(["list_vhosts", "-q"]) == vhostsBefore, "nothing touched")
            }

            try RabbitNode.with("e2e-s4-b", version: .v4_0) { b in
                let restore = try Warren.run(["restore", String(id), "--node", b.nodeName, "--rabbitmqctl", b.rabbitmqctl, "--json"], repo: repo)
                #expect(restore.status == 0, "\(restore.stderr)")
                #expect(try Self.object(restore)["outcome"] as? String == "succeeded")
                #expect(try Self.digests(b, queues) == digests)
            }
        }
    }
}

private extension Dictionary where Key == String {
    func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary<String, Value>(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
