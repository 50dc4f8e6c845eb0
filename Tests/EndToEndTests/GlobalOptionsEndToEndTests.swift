import Foundation
import Testing

/// Issue 13, command line: global options before and after the subcommand (as restic takes
/// them), JSON usage errors, `schedule remove --json`, and `warren --version` / `warren version`.
@Suite struct GlobalOptionsEndToEndTests {
    static func work(_ name: String) -> String {
        NSTemporaryDirectory() + "warren-global-\(name)-\(UUID().uuidString)"
    }

    static func jsonObject(_ result: CommandResult) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    static func errorBody(_ result: CommandResult) -> [String: Any] {
        (jsonObject(result) as? [String: Any])?["error"] as? [String: Any] ?? [:]
    }

    /// Before: `warren --repo R list` and `-r R` failed with exit 64 ("Unexpected argument").
    @Test func repoAndJSONBeforeOrAfterTheSubcommand() throws {
        let work = Self.work("order")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["-r", repo, "init"])
        try SyntheticBackup.make(at: work + "/b")
        try Command.check(Warren.binary, ["--repo", repo, "register", work + "/b", "--node", "rabbit@a"])
        for arguments in [["--repo", repo, "list", "--json"], ["-r", repo, "list", "--json"], ["--json", "--repo", repo, "list"],
                          ["--repo=\(repo)", "--json", "list"], ["list", "-r", repo, "--json"], ["list", "--json", "--repo", repo],
                          ["--json", "-r", repo, "schedule", "list"]] {
            let result = try Command.run(Warren.binary, arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let rows = Self.jsonObject(result) as? [[String: Any]]
            #expect(rows != nil, "\(arguments): not a JSON array: \(result.stdout)")
            if arguments.contains("schedule") { #expect(rows?.isEmpty == true) } else { #expect(rows?.count == 1) }
        }
        // Text output with the repository given first.
        let text = try Command.check(Warren.binary, ["-r", repo, "list"])
        #expect(text.contains("rabbit@a"), "\(text)")
    }

    /// Before: a usage error printed only text on stderr, even under --json.
    @Test func usageErrorsUnderJSONPrintTheErrorObject() throws {
        let work = Self.work("usage")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        for (arguments, fragment) in [(["--json", "--repo", repo, "list", "--limit", "0"], "--limit must be at least 1"),
                                      (["list", "--repo", repo, "--no-such-option", "--json"], "--no-such-option"),
                                      (["--json", "list", "--repo", repo, "--limit"], "--limit")] {
            let result = try Command.run(Warren.binary, arguments)
            #expect(result.status == 64, "\(arguments): \(result.stdout) \(result.stderr)")
            let error = Self.errorBody(result)
            #expect(error["code"] as? String == "usage", "\(arguments): \(result.stdout)")
            #expect((error["message"] as? String ?? "").contains(fragment), "\(arguments): \(result.stdout)")
        }
        // Without --json, stdout stays empty.
        let plain = try Command.run(Warren.binary, ["list", "--repo", repo, "--limit", "0"])
        #expect(plain.status == 64 && plain.stdout.isEmpty && plain.stderr.contains("--limit must be at least 1"))
    }

    /// Before: `schedule remove` had no --json.
    @Test func scheduleRemoveJSON() throws {
        let work = Self.work("schedule")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        let added = try #require(try Warren.json(["schedule", "add", "--node", "rabbit@a", "--every", "1d"], repo: repo) as? [String: Any])
        let id = try #require(added["id"] as? Int)
        let removed = try #require(try Warren.json(["schedule", "remove", String(id)], repo: repo) as? [String: Any])
        #expect(removed["removed"] as? Int == id)
        let again = try Warren.run(["schedule", "remove", String(id), "--json"], repo: repo)
        #expect(again.status == 64)
        #expect(Self.errorBody(again)["code"] as? String == "schedule_not_found", "\(again.stdout)")
        #expect(try #require(try Warren.json(["schedule", "list"], repo: repo) as? [Any]).isEmpty)
    }

    /// `warren --version` and `warren version [--json]`: version, repository format, SQLite version.
    @Test func versionShowsFormatAndSQLite() throws {
        let sqlite = try Command.check("sqlite3", [":memory:", "SELECT sqlite_version();"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let info = try #require(Self.jsonObject(try Command.run(Warren.binary, ["version", "--json"])) as? [String: Any])
        let version = try #require(info["version"] as? String)
        #expect(version.split(separator: ".").count == 3, "\(version)")
        #expect(info["repository_format"] as? String == "warren-repository")
        #expect(info["sqlite_version"] as? String == sqlite)
        let migrations = try #require(info["catalog_migrations"] as? [String])
        #expect(migrations.first == "0001_initial" && info["catalog_schema"] as? String == migrations.last)
        for arguments in [["--version"], ["version"]] {
            let text = try Command.check(Warren.binary, arguments)
            #expect(text.hasPrefix("warren \(version)\n"), "\(arguments): \(text)")
            #expect(text.contains("warren-repository") && text.contains("SQLite \(sqlite)"), "\(arguments): \(text)")
        }
        let hoisted = try #require(Self.jsonObject(try Command.run(Warren.binary, ["--json", "--version"])) as? [String: Any])
        #expect(hoisted["version"] as? String == version)
    }
}
