import Foundation
import Testing

/// Issue 13: `show`/`verify` of a pruned or forgotten id says when and by what it went (exit 3).
@Suite struct DeletedBackupEndToEndTests {
    static func error(_ result: CommandResult) -> [String: Any] {
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
        return json?["error"] as? [String: Any] ?? [:]
    }

    @Test func prunedAndForgottenIdsSayWhenTheyWent() throws {
        let work = NSTemporaryDirectory() + "warren-deleted-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (repo, ids) = try PruneEndToEndTests.repository(work, times: [
            ("rabbit@a", "2026-11-01T02:00:00Z"), ("rabbit@a", "2026-11-02T02:00:00Z"), ("rabbit@a", "2026-11-03T02:00:00Z"),
        ], uniqueFiles: 1)
        let before = Date().addingTimeInterval(-1)
        try Command.check(Warren.binary, ["forget", String(ids[2]), "--repo", repo])
        try Command.check(Warren.binary, ["prune", "--keep-last", "1", "--repo", repo])
        #expect(try #require(try Warren.json(["list"], repo: repo) as? [[String: Any]]).compactMap { $0["id"] as? Int } == [Int(ids[1])])

        let pruned = try Warren.run(["verify", String(ids[0]), "--json"], repo: repo)
        #expect(pruned.status == 3, "\(pruned.stderr)")
        #expect(Self.error(pruned)["code"] as? String == "backup_not_found")
        let message = Self.error(pruned)["message"] as? String ?? ""
        #expect(message.hasPrefix("backup \(ids[0]) (node rabbit@a) was pruned on ") && message.contains("(by prune)"), "\(message)")
        // The date is this run's.
        let date = message.split(separator: " ").first { $0.hasPrefix("20") }.flatMap { ISO8601DateFormatter().date(from: String($0)) }
        #expect(date.map { $0 >= before && $0 <= Date().addingTimeInterval(1) } == true, "\(message)")

        let forgotten = try Warren.run(["show", String(ids[2])], repo: repo)
        #expect(forgotten.status == 3)
        #expect(forgotten.stderr.contains("backup \(ids[2]) (node rabbit@a) was forgotten on ") && forgotten.stderr.contains("(by forget)"), "\(forgotten.stderr)")

        let never = try Warren.run(["show", "99"], repo: repo)
        #expect(never.status == 3 && never.stderr.contains("no backup with id 99"), "\(never.stderr)")
        // The record survives `check` (it is not damage).
        #expect(try Warren.run(["check"], repo: repo).status == 0)
    }
}
