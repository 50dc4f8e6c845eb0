import Foundation
import Testing
@testable import WarrenCore

/// Issue 16 §2-§3 on synthetic trees: what verify says about definitions that do not import
/// as exported, non-durable queues, and copies without a broker survey.
@Suite struct ZooVerifyTests {
    static func definitions(ordersDurable: Bool = true, bindings: String = "[]") -> String {
        """
        {"rabbit_version": "3.10.8", "rabbitmq_version": "3.10.8", "users": [], "vhosts": [{"name": "/"}, {"name": "shop/eu"}],
         "permissions": [], "topic_permissions": [], "parameters": [], "global_parameters": [], "policies": [],
         "queues": [{"name": "orders", "vhost": "/", "durable": \(ordersDurable), "auto_delete": false, "arguments": {}, "type": "classic"},
                    {"name": "emails", "vhost": "shop/eu", "durable": true, "auto_delete": false, "arguments": {}, "type": "classic"}],
         "exchanges": [{"name": "front", "vhost": "/", "type": "direct", "durable": true, "auto_delete": false, "internal": false, "arguments": {}}],
         "bindings": \(bindings)}
        """
    }

    /// Before: queue_not_durable was an error, so the whole backup was not viable.
    @Test func aNonDurableQueueIsAWarningAboutThatQueueOnly() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        try tree.definitions(Self.definitions(ordersDurable: false))
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let report = try Verifier(repository: repo).verify(id: id)
        #expect(report.verdict == .viableWithWarnings, "\(report.findings)")
        let finding = try #require(report.findings.first { $0.code == .queueNotDurable })
        #expect(finding.severity == .warning && finding.queue == "orders" && finding.message.contains("does not come back at all"))
        // A registered copy has no broker survey: said, not guessed.
        #expect(report.findings.contains { $0.code == .transientUnknown && $0.severity == .info })
        let excluded = try Verifier(repository: repo).verify(id: id, options: VerifyOptions(excludeQueues: ["orders"]))
        let note = try #require(excluded.findings.first { $0.code == .queueExcluded })
        #expect(note.message.contains("does not come back at all") && !note.message.contains("comes back empty"))
    }

    /// Bindings to an exchange the export left out (an internal one) are named, each.
    @Test func bindingsWhoseExchangeIsMissingAreErrors() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        try tree.definitions(Self.definitions(bindings: """
            [{"source": "front", "vhost": "/", "destination": "hidden", "destination_type": "exchange", "routing_key": "k", "arguments": {}},
             {"source": "hidden", "vhost": "/", "destination": "orders", "destination_type": "queue", "routing_key": "#", "arguments": {}},
             {"source": "front", "vhost": "/", "destination": "orders", "destination_type": "queue", "routing_key": "o", "arguments": {}},
             {"source": "amq.topic", "vhost": "/", "destination": "orders", "destination_type": "queue", "routing_key": "t", "arguments": {}}]
            """))
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let report = try Verifier(repository: repo).verify(id: id)
        let missing = report.findings.filter { $0.code == .bindingExchangeMissing }
        #expect(missing.count == 2, "\(missing)")
        #expect(missing.allSatisfy { $0.message.contains("exchange 'hidden'") && $0.vhost == "/" })
        #expect(report.verdict == .notViable)
    }

    @Test func repairsOperatorPolicyListsAndAddsRecordedInternalExchanges() throws {
        let exported = """
            {"parameters": [{"component": "operator_policy", "name": "limit", "vhost": "/",
                             "value": {"pattern": "^q", "apply-to": "queues", "priority": 0, "definition": [["max-length", 1000]]}}],
             "policies": [], "exchanges": [], "bindings": []}
            """
        let hidden = BrokerSurvey.Exchange(vhost: "/", name: "hidden", type: "topic", durable: true, internal: true)
        let (bytes, changes) = try DefinitionsRepair.repair(Array(exported.utf8), internalExchanges: [hidden])
        #expect(changes.count == 2, "\(changes)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let value = (root["parameters"] as? [[String: Any]])?.first?["value"] as? [String: Any]
        #expect((value?["definition"] as? [String: Any])?["max-length"] as? Int == 1000)
        let exchanges = root["exchanges"] as? [[String: Any]] ?? []
        #expect(exchanges.count == 1 && exchanges.first?["name"] as? String == "hidden" && exchanges.first?["internal"] as? Bool == true)
        // Nothing to repair: the bytes are left exactly as exported.
        let clean = Array(#"{"exchanges": [], "policies": [{"name": "p", "definition": {"max-length": 1}}]}"#.utf8)
        let untouched = try DefinitionsRepair.repair(clean, internalExchanges: [])
        #expect(untouched.bytes == clean && untouched.changes.isEmpty)
    }
}
