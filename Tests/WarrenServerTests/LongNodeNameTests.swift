import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WarrenCore
@testable import WarrenServer

/// Found by schemathesis (issue 14, every check on): `PUT /v1/policy` for a 255-character
/// node was a 500, its state document's name (the node in hex) being over the file system's
/// 255-byte limit. Long names are now named by their SHA-256; the document holds the name.
@Suite struct LongNodeNameTests {
    @Test func aPolicyForTheLongestNodeNameIsStoredAndRebuilt() async throws {
        let fixture = try Fixture(backups: 0)
        let node = String(repeating: "0", count: 255)
        try await fixture.app().test(.router) { client in
            let stored = try await client.call(.put, "/v1/policy", body: "{\"node\": \"\(node)\", \"keep_last\": 3}")
            #expect(stored.status == 200, "\(stored.text)")
            let listed = try await client.call(.get, "/v1/policy").json as? [[String: Any]] ?? []
            #expect(listed.contains { $0["node"] as? String == node })
        }
        let name = StorageName.policy(node: node).path
        #expect(name.hasPrefix("state/policies/node-sha256-") && name.utf8.count < 100, "\(name)")
        #expect(StorageName.policy(node: "rabbit@a").path == "state/policies/node-" + "rabbit@a".utf8.map { String(format: "%02x", $0) }.joined(),
                "short names keep their hex name")
        #expect(FileManager.default.fileExists(atPath: fixture.repository.path + "/" + name))
    }
}
