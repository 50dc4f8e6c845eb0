import Foundation
import Testing
@testable import WarrenCore

/// Issue 15: RabbitMQ 4.x removed classic mirroring; its import_definitions refuses a file
/// with an ha-* policy key (seen on 4.0.5), so restore takes them out first.
@Suite struct MirroringStripTests {
    @Test func haKeysAreTakenOutAndAnEmptyPolicyIsDropped() throws {
        let input = #"""
            {"policies": [
              {"vhost": "/", "name": "ha-only", "pattern": "^x", "apply-to": "queues", "priority": 0, "definition": {"ha-mode": "all", "ha-sync-mode": "automatic"}},
              {"vhost": "shop", "name": "mixed", "pattern": "^m", "apply-to": "queues", "priority": 1, "definition": {"ha-mode": "exactly", "ha-params": 2, "max-length": 10}},
              {"vhost": "shop", "name": "plain", "pattern": "^p", "apply-to": "queues", "priority": 0, "definition": {"max-length": 5}}],
             "queues": [{"name": "q", "vhost": "/", "durable": true, "auto_delete": false, "arguments": {"x-ha-policy": "all"}}]}
            """#
        let (bytes, changes) = try MirroringStrip.strip(Array(input.utf8))
        #expect(changes == [
            "policy 'ha-only' in vhost '/' dropped: it only held ha-mode, ha-sync-mode (classic mirroring, removed in RabbitMQ 4.x, which refuses the whole import for it)",
            "policy 'mixed' in vhost 'shop': ha-mode, ha-params removed (classic mirroring, removed in RabbitMQ 4.x); kept max-length",
        ])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let policies = root["policies"] as? [[String: Any]] ?? []
        #expect(policies.map { $0["name"] as? String } == ["mixed", "plain"])
        #expect((policies[0]["definition"] as? [String: Any])?.keys.sorted() == ["max-length"])
        // Queue arguments stay: 4.0.5 accepts and ignores x-ha-*.
        let queue = (root["queues"] as? [[String: Any]])?.first
        #expect((queue?["arguments"] as? [String: Any])?["x-ha-policy"] as? String == "all")
    }

    @Test func definitionsWithoutMirroringAreLeftByteForByte() throws {
        let input = Array(#"{"policies": [{"vhost": "/", "name": "p", "definition": {"max-length": 5}}], "queues": []}"#.utf8)
        let (bytes, changes) = try MirroringStrip.strip(input)
        #expect(changes.isEmpty && bytes == input)
    }
}
