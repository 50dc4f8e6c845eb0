import Foundation
import Testing
import WarrenCore

/// Issue 16 §3: an import the broker refuses after it changed the node (RabbitMQ creates
/// vhosts and users before it validates policies, and does not roll back) says exactly
/// what was changed and how to undo it.
@Suite(.serialized) struct ImportFailureEndToEndTests {
    /// Definitions that pass verify but that 3.10.8's import_definitions refuses part-way:
    /// a policy with a setting the broker does not know.
    static let refusedDefinitions = """
        {"rabbit_version": "3.10.8", "rabbitmq_version": "3.10.8", "permissions": [], "topic_permissions": [],
         "users": [{"name": "tc.user", "password_hash": "", "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": [], "limits": {}}],
         "vhosts": [{"name": "/"}, {"name": "tc.new"}], "parameters": [], "global_parameters": [], "exchanges": [], "bindings": [],
         "policies": [{"vhost": "tc.new", "name": "odd", "pattern": "^x", "apply-to": "queues", "priority": 0, "definition": {"no-such-setting": 1}}],
         "queues": [{"name": "orders", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {}, "type": "classic"},
                    {"name": "tc.q", "vhost": "tc.new", "durable": true, "auto_delete": false, "arguments": {}, "type": "classic"}]}
        """

    @Test func aRefusedImportSaysExactlyWhatItChangedAndHowToUndoIt() throws {
        let work = NSTemporaryDirectory() + "warren-import-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        #expect(try Warren.run(["init"], repo: repo).status == 0)
        try SyntheticBackup.make(at: work + "/manual")
        try Data(Self.refusedDefinitions.utf8).write(to: URL(fileURLWithPath: work + "/manual/definitions.json"))
        #expect(try Warren.run(["register", work + "/manual", "--node", "rabbit@mq1"], repo: repo).status == 0)
        let verdict = (try Warren.json(["verify", "1"], repo: repo) as? [String: Any])?["verdict"] as? String
        #expect(verdict == "viable" || verdict == "viable_with_warnings", "the refusal cannot be seen before the import")

        try RabbitNode.with("e2e-impfail") { node in
            func state() throws -> (vhosts: Set<String>, users: Set<String>, rootQueues: Set<String>) {
                (Set(try node.ctlJSON(["list_vhosts", "name"]).compactMap { $0["name"] as? String }),
                 Set(try node.ctlJSON(["list_users"]).compactMap { $0["user"] as? String }),
                 Set(try node.ctlJSON(["list_queues", "-p", "/", "name"]).compactMap { $0["name"] as? String }))
            }
            let before = try state()
            #expect(!before.vhosts.contains("tc.new") && !before.users.contains("tc.user"))
            let restore = try Warren.run(["restore", "1", "--node", node.nodeName], repo: repo)
            let text = restore.stderr
            #expect(restore.status == 17, "\(text)")
            #expect(text.contains("node \(node.nodeName): the import of backup 1's definitions failed after the restore had changed the node"), "\(text)")
            #expect(text.contains("not recognised policy settings"), "the broker's own reason: \(text)")
            // Exactly what the broker now holds beyond what it held before.
            let after = try state()
            #expect(after.vhosts == before.vhosts.union(["tc.new"]) && after.users == before.users.union(["tc.user"]), "\(after)")
            #expect(after.rootQueues == before.rootQueues, "the refused import declared no queue in /")
            #expect(text.contains("vhost 'tc.new' was created") && text.contains("user 'tc.user' was created"), "\(text)")
            #expect(!text.contains("queue 'orders' was declared"), "\(text)")
            #expect(text.contains("No message data was touched"), "\(text)")
            #expect(!FileManager.default.fileExists(atPath: node.directory + "/msg_stores/vhosts/" + RabbitDirectoryName.vhost("tc.new") + "/queues/" + RabbitDirectoryName.queue(vhost: "tc.new", queue: "tc.q")))

            // The undo commands it prints bring the node back to what it was.
            let undo = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("rabbitmqctl -n ") }
            #expect(undo == ["rabbitmqctl -n \(node.nodeName) delete_vhost tc.new", "rabbitmqctl -n \(node.nodeName) delete_user tc.user"], "\(text)")
            for line in undo { _ = try Command.check("/bin/sh", ["-c", line]) }
            let undone = try state()
            #expect(undone.vhosts == before.vhosts && undone.users == before.users)
            // No journal was left behind: the node's data was never touched.
            #expect(try Warren.run(["restore", "1", "--node", node.nodeName, "--dry-run"], repo: repo).status == 0)
        }
    }
}
