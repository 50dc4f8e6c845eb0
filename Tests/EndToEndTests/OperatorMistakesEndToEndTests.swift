import Foundation
import Testing

/// Issue 13, messages for common mistakes: each says in one line what is wrong and what to do.
@Suite struct OperatorMistakesEndToEndTests {
    static func work(_ name: String) -> String {
        NSTemporaryDirectory() + "warren-mistakes-\(name)-\(UUID().uuidString)"
    }

    static func errorBody(_ result: CommandResult) -> [String: Any] {
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
        return json?["error"] as? [String: Any] ?? [:]
    }

    /// Before: "holds no definitions file", which sent the operator looking for the wrong thing.
    @Test func registerOfMsgStoresItselfSaysPointAtItsParent() throws {
        let work = Self.work("msg-stores")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/b")
        let result = try Warren.run(["register", work + "/b/msg_stores", "--node", "rabbit@a", "--json"], repo: repo)
        #expect(result.status == 4)
        #expect(Self.errorBody(result)["code"] as? String == "invalid_backup")
        let message = Self.errorBody(result)["message"] as? String ?? ""
        #expect(message.contains("point at the directory that holds msg_stores/") && message.contains(work + "/b"), "\(message)")
        #expect(try #require(try Warren.json(["list"], repo: repo) as? [Any]).isEmpty)
        // The parent registers.
        try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", repo])
    }

    /// Before: `--keep-last -1` said "Missing value for '--keep-last <n>'".
    @Test func negativeKeepCountSaysItMustBeAtLeastOne() throws {
        let work = Self.work("keep")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        let text = try Warren.run(["prune", "--keep-last", "-1"], repo: repo)
        #expect(text.status == 64)
        #expect(text.stderr.contains("--keep-last must be >= 1 (got -1)") && !text.stderr.contains("Missing value"), "\(text.stderr)")
        let json = try Warren.run(["policy", "set", "--default", "--keep-daily", "-3", "--json"], repo: repo)
        #expect(json.status == 64)
        #expect((Self.errorBody(json)["message"] as? String ?? "").contains("--keep-daily must be >= 1 (got -3)"), "\(json.stdout)")
    }

    /// Before: rabbitmqctl's 30 lines of diagnostics. Now one line: not running, how to start it.
    @Test func restoreToANodeThatIsDownSaysSoInOneLine() throws {
        let work = Self.work("down")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/b")
        let id = try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", repo])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let host = try Command.check("hostname", ["-s"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let node = "warren-down-\(UInt32.random(in: 1...UInt32.max))@\(host)"   // no such node runs
        let result = try Warren.run(["restore", id, "--node", node, "--json"], repo: repo)
        #expect(result.status == 7, "\(result.stderr)")
        #expect(Self.errorBody(result)["code"] as? String == "broker_error")
        let message = Self.errorBody(result)["message"] as? String ?? ""
        #expect(message.contains("node \(node)") && message.contains("the node is not running") && message.contains("rabbitmq-server -detached"), "\(message)")
        #expect(!message.contains("\n") && !message.contains("DIAGNOSTICS"), "\(message)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}
