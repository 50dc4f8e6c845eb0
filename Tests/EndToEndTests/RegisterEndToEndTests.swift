import Foundation
import Testing

/// Issue 2's real-broker scenario: a node with odd vhost names, CQv1, CQv2 and quorum
/// queues, small and large persistent messages, backed up by the documented manual
/// procedure, then registered; `list` and `show` must agree with what the broker reports.
@Suite(.serialized) struct RegisterEndToEndTests {
    static let vhosts = ["/", "shop/eu", "with space", "ünïcødé"]
    /// (vhost, queue, kind) with kind "v1", "v2" or "quorum".
    static let queues: [(String, String, String)] = [
        ("/", "orders.v1", "v1"),
        ("shop/eu", "emails.v2", "v2"),
        ("with space", "queue with space", "v1"),
        ("ünïcødé", "ünï-queue", "v2"),
        ("shop/eu", "payments.qq", "quorum"),
    ]

    @Test func registeredBackupMatchesTheBroker() throws {
        let work = NSTemporaryDirectory() + "warren-e2e-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        try RabbitNode.with("e2e-register") { node in
            for vhost in Self.vhosts { try node.addVhost(vhost) }
            for (vhost, queue, kind) in Self.queues {
                switch kind {
                case "quorum": try node.amqp(["declare", vhost, queue, "--type", "quorum"])
                case "v2": try node.amqp(["declare", vhost, queue, "--qversion", "2"])
                default: try node.amqp(["declare", vhost, queue])
                }
                // Small messages are embedded in the index (< 4 KiB); large ones go to rdq files.
                try node.amqp(["publish", vhost, queue, "--count", "40", "--size", "200"])
                try node.amqp(["publish", vhost, queue, "--count", "6", "--size", "20000"])
            }
            let backup = work + "/backup"
            try node.manualBackup(into: backup)

            let repo = work + "/repo"
            #expect(try Warren.run(["init"], repo: repo).status == 0)
            let registered = try #require(try Warren.json(
                ["register", backup, "--node", node.nodeName, "--label", "manual"], repo: repo) as? [String: Any])
            let id = try #require(registered["id"] as? Int)

            // list
            let list = try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]])
            #expect(list.count == 1)
            let row = try #require(list.first)
            let brokerVhosts = Set(try node.ctlJSON(["list_vhosts", "name"]).compactMap { $0["name"] as? String })
            #expect(brokerVhosts == Set(Self.vhosts))
            #expect(row["id"] as? Int == id)
            #expect(row["node"] as? String == node.nodeName)
            #expect(row["label"] as? String == "manual")
            #expect(row["state"] as? String == "complete")
            #expect(row["broker_version"] as? String == "3.10.8")
            #expect(row["vhost_count"] as? Int == brokerVhosts.count)
            #expect(row["queue_count"] as? Int == Self.queues.count)
            let files = try regularFiles(under: backup + "/msg_stores")
            #expect(row["file_count"] as? Int == files.count)
            #expect((row["logical_bytes"] as? NSNumber)?.int64Value == files.reduce(0) { $0 + $1.size })
            #expect((row["added_bytes"] as? NSNumber)?.int64Value ?? 0 > 0)
            let checksum = try Command.check("/usr/bin/sha256sum", [backup + "/definitions.json"]).prefix(64)
            #expect(row["definitions_sha256"] as? String == String(checksum))

            // show, queue by queue, against the broker's own listing
            let show = try #require(try Warren.json(["show", String(id)], repo: repo) as? [String: Any])
            let shownQueues = try #require(show["queues"] as? [[String: Any]])
            let shownVhosts = try #require(show["vhosts"] as? [[String: Any]])
            #expect(Set(shownVhosts.compactMap { $0["name"] as? String }) == brokerVhosts)
            // One null rule: every key is present, null when unset.
            #expect(shownVhosts.allSatisfy { $0["problem"] is NSNull && $0["defined"] as? Bool == true })
            for vhost in Self.vhosts {
                let brokerQueues = try node.ctlJSON(["list_queues", "-p", vhost, "name", "type", "durable", "messages"])
                let shown = shownQueues.filter { $0["vhost"] as? String == vhost }
                #expect(Set(shown.compactMap { $0["name"] as? String }) == Set(brokerQueues.compactMap { $0["name"] as? String }),
                        "queues of vhost \(vhost)")
                for brokerQueue in brokerQueues {
                    let name = try #require(brokerQueue["name"] as? String)
                    let queue = try #require(shown.first { $0["name"] as? String == name })
                    let kind = Self.queues.first { $0.0 == vhost && $0.1 == name }?.2
                    #expect(queue["type"] as? String == brokerQueue["type"] as? String, "type of \(vhost)/\(name)")
                    #expect(queue["durable"] as? Bool == brokerQueue["durable"] as? Bool)
                    #expect(queue["problem"] is NSNull, "\(vhost)/\(name) flagged: \(queue["problem"] ?? "")")
                    if kind == "quorum" {
                        // Quorum data lives outside msg_stores: nothing stored for it.
                        #expect(queue["has_data"] as? Bool == false, "\(name) is quorum")
                        #expect(queue["index_version"] is NSNull)
                    } else {
                        #expect(queue["has_data"] as? Bool == true, "\(vhost)/\(name) should have stored data")
                        #expect(queue["index_version"] as? Int == (kind == "v2" ? 2 : 1), "index version of \(name)")
                        #expect(queue["dir_matches_name"] as? Bool == true)
                    }
                }
            }

            // Text output names every vhost, and no output carries a password hash.
            let text = try Warren.run(["show", String(id)], repo: repo)
            #expect(text.status == 0)
            for vhost in Self.vhosts { #expect(text.stdout.contains("\"\(vhost)\"")) }
            let definitions = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: backup + "/definitions.json"))) as? [String: Any]
            let hashes = (definitions?["users"] as? [[String: Any]] ?? []).compactMap { $0["password_hash"] as? String }
            #expect(!hashes.isEmpty)
            let allOutput = text.stdout + (try Warren.run(["show", String(id), "--json"], repo: repo).stdout)
                + (try Warren.run(["list", "--json"], repo: repo).stdout)
            for hash in hashes { #expect(!allOutput.contains(hash)) }
        }
    }

    func regularFiles(under root: String) throws -> [(path: String, size: Int64)] {
        var result: [(String, Int64)] = []
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let item = enumerator.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + item)
            if attributes[.type] as? FileAttributeType == .typeRegular {
                result.append((item, (attributes[.size] as! NSNumber).int64Value))
            }
        }
        return result
    }
}
