import Foundation
import Testing

/// A client generated from docs/openapi.json (openapi-python-client), used as it is against
/// a real `warren serve`: it lists the backups and runs a verify job to its end, with every
/// answer parsed into the generated models (a field the document lacks or mistypes fails).
@Suite(.serialized) struct GeneratedClientEndToEndTests {
    @Test func listsBackupsAndRunsAVerifyJob() throws {
        let (work, repo, ids) = try ServiceEndToEndTests.setUp()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let socket = work + "/g.sock"
        let served = try Served(repo: repo, socket: socket)
        #expect(served.ready(), "serve did not answer")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tools/api-client.py").path
        let run = try Command.run("python3", [script, socket, String(ids[1])])
        #expect(run.status == 0, "\(run.stderr)")
        let seen = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(seen["backups"] as? [Int] == ids.reversed(), "\(run.stdout)")
        #expect(seen["nodes"] as? [String] == ["rabbit@svc"])
        #expect(seen["kind"] as? String == "verify" && seen["state"] as? String == "succeeded", "\(run.stdout)")
        #expect(seen["verified"] as? Int == ids[1])
        // Synthetic backups are live copies: viable with a live_copy warning.
        #expect(seen["verdict"] as? String == "viable_with_warnings" && seen["findings"] as? [String] == ["live_copy"], "\(run.stdout)")
        #expect(served.terminate().status == 0)
    }
}
