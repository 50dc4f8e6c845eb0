import Foundation
import Testing

/// Issue 13: the configuration file (`$WARREN_CONFIG`, else /etc/warren/warren.conf) sets the
/// repository, the rabbitmqctl, the lock timeout, the service socket and backup's hooks;
/// flags > environment > file.
@Suite struct ConfigurationFileEndToEndTests {
    static func error(_ result: CommandResult) -> [String: Any] {
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
        return json?["error"] as? [String: Any] ?? [:]
    }

    /// Whether `serve` comes to answer `/v1/health` on `socket` (a hang guard: 900 s).
    static func answers(_ served: Spawned, on socket: String) -> Bool {
        for _ in 0..<18_000 where served.process.isRunning {
            if (try? Served.curl(["--unix-socket", socket, "http://warren/v1/health"]))?.status == 200 { return true }
            usleep(50_000)
        }
        return false
    }

    @Test func flagsBeatEnvironmentBeatsFile() throws {
        let work = NSTemporaryDirectory() + "warren-config-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let fromFile = work + "/file-repo", fromEnv = work + "/env-repo"
        try Command.check(Warren.binary, ["init", "--repo", fromFile])
        try Command.check(Warren.binary, ["init", "--repo", fromEnv])
        try SyntheticBackup.make(at: work + "/b")
        try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", fromFile])
        // Three rabbitmqctl stand-ins, each failing with its own first error line.
        var ctl: [String: String] = [:]
        for source in ["file", "env", "flag"] {
            ctl[source] = work + "/ctl-\(source)"
            try Data("#!/bin/sh\necho \"Error: from \(source)\"\nexit 2\n".utf8).write(to: URL(fileURLWithPath: ctl[source]!))
            try Command.check("/bin/chmod", ["755", ctl[source]!])
        }
        let config = work + "/warren.conf"
        try Data("""
            # Warren settings
            repo = \(fromFile)
            rabbitmqctl = \(ctl["file"]!)

            lock-timeout = 0.5
            """.utf8).write(to: URL(fileURLWithPath: config))
        let base = ["WARREN_CONFIG": config, "WARREN_REPO": "", "WARREN_RABBITMQCTL": ""]
        func warren(_ arguments: [String], _ extra: [String: String] = [:]) throws -> CommandResult {
            try Command.run(Warren.binary, arguments, environment: base.merging(extra) { $1 })
        }
        func ids(_ result: CommandResult) -> [Int] {
            ((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
        }

        // repo: the file's, unless WARREN_REPO, unless --repo.
        #expect(ids(try warren(["list", "--json"])) == [1])
        #expect(ids(try warren(["list", "--json"], ["WARREN_REPO": fromEnv])).isEmpty)
        #expect(ids(try warren(["list", "--json", "--repo", fromFile], ["WARREN_REPO": fromEnv])) == [1])
        let verbose = try warren(["list", "-v"])
        #expect(verbose.stderr.contains("configuration file \(config)") && verbose.stderr.contains("repository \(fromFile)"), "\(verbose.stderr)")

        // rabbitmqctl: the file's, unless WARREN_RABBITMQCTL, unless --rabbitmqctl.
        let verify = ["verify", "1", "--target-node", "nowhere@localhost", "--json"]
        #expect((Self.error(try warren(verify))["message"] as? String ?? "").hasSuffix("Error: from file"))
        #expect((Self.error(try warren(verify, ["WARREN_RABBITMQCTL": ctl["env"]!]))["message"] as? String ?? "").hasSuffix("Error: from env"))
        #expect((Self.error(try warren(verify + ["--rabbitmqctl", ctl["flag"]!], ["WARREN_RABBITMQCTL": ctl["env"]!]))["message"] as? String ?? "")
            .hasSuffix("Error: from flag"))

        // lock-timeout: the file's 0.5 s wait, unless --lock-timeout.
        let holder = try LockHolderProcess(repo: fromFile, command: "prune")
        defer { holder.release() }
        let waited = try warren(["gc"])
        #expect(waited.status == 8 && waited.stderr.contains("waiting up to 0.5 s") && waited.stderr.contains("gave up after waiting"), "\(waited.stderr)")
        let atOnce = try warren(["gc", "--lock-timeout", "0"])
        #expect(atOnce.status == 8 && atOnce.stderr.contains("not waiting") && !atOnce.stderr.contains("waiting up to"), "\(atOnce.stderr)")
    }

    /// `socket`: where `warren serve` listens and the clients' default `--socket`; `pre-hook`
    /// and `post-hook`: backup's hooks. Flags beat the file; an empty flag turns it off.
    @Test func socketAndHooksComeFromTheFileUnlessGivenAsFlags() throws {
        let work = NSTemporaryDirectory() + "warren-config-svc-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo", socket = work + "/from-file.sock"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/b")
        try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", repo])
        let failing = work + "/ctl"
        try Data("#!/bin/sh\necho 'Error: no broker here'\nexit 2\n".utf8).write(to: URL(fileURLWithPath: failing))
        try Command.check("/bin/chmod", ["755", failing])
        let config = work + "/warren.conf"
        try Data("""
            repo = \(repo)
            rabbitmqctl = \(failing)
            socket = \(socket)
            pre-hook = touch \(work)/pre-from-file
            post-hook = touch \(work)/post-from-file
            """.utf8).write(to: URL(fileURLWithPath: config))
        let environment = ["WARREN_CONFIG": config, "WARREN_REPO": "", "WARREN_RABBITMQCTL": ""]
        func warren(_ arguments: [String]) throws -> CommandResult { try Command.run(Warren.binary, arguments, environment: environment) }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: work + "/" + name) }

        // No service yet: list asks the file's socket, unless --socket says another, or '' (the repository).
        let unreachable = try warren(["list", "--json"])
        #expect(unreachable.status != 0 && unreachable.stdout.contains(socket), "\(unreachable.stdout)\(unreachable.stderr)")
        let other = try warren(["list", "--json", "--socket", work + "/other.sock"])
        #expect(other.status != 0 && other.stdout.contains(work + "/other.sock") && !other.stdout.contains(socket), "\(other.stdout)")
        let local = try warren(["list", "--json", "--socket", ""])
        #expect(local.status == 0 && local.stdout.contains("rabbit@a"), "\(local.stderr)")

        // serve listens on the file's socket; list then goes through it.
        let served = try Spawned(["serve"], environment: environment)  // SIGKILLed by its deinit if still running
        #expect(Self.answers(served, on: socket), "serve did not answer on \(socket)")
        let viaService = try warren(["list", "--json", "-v"])
        #expect(viaService.status == 0 && viaService.stdout == local.stdout, "\(viaService.stderr)")
        served.signal(SIGTERM)
        #expect(served.wait(killingAfter: 900).status == 0)

        // Hooks: the file's run (the failing broker call comes after the pre-hook; the post-hook runs whatever happened).
        #expect(try warren(["backup", "--node", "rabbit@a"]).status != 0)
        #expect(exists("pre-from-file") && exists("post-from-file"))
        for name in ["pre-from-file", "post-from-file"] { unlink(work + "/" + name) }
        #expect(try warren(["backup", "--node", "rabbit@a", "--pre-hook", "touch \(work)/pre-from-flag", "--post-hook", ""]).status != 0)
        #expect(exists("pre-from-flag") && !exists("pre-from-file") && !exists("post-from-file"))
    }

    /// Retention per node and schedules: the file's `keep-*` keys (every node's default) and
    /// `[node NAME]` sections rank between the flags and the stored policies; `serve` makes
    /// the sections' schedules, which `schedule list` shows with their file and line.
    @Test func policiesAndSchedulesComeFromTheFile() throws {
        let work = NSTemporaryDirectory() + "warren-config-keep-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo", socket = work + "/s.sock"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        for (index, node) in ["rabbit@a", "rabbit@a", "rabbit@a", "rabbit@b", "rabbit@b"].enumerated() {
            try SyntheticBackup.make(at: work + "/b\(index)")
            try Command.check(Warren.binary, ["register", work + "/b\(index)", "--node", node, "--repo", repo])
        }
        let config = work + "/warren.conf"
        try Data("""
            repo = \(repo)
            socket = \(socket)
            keep-last = 2

            [node rabbit@a]
            keep-last = 1
            at = 03:00
            jitter = 1m
            """.utf8).write(to: URL(fileURLWithPath: config))
        let environment = ["WARREN_CONFIG": config, "WARREN_REPO": ""]
        func warren(_ arguments: [String]) throws -> CommandResult { try Command.run(Warren.binary, arguments, environment: environment) }
        func plan(_ arguments: [String]) throws -> (sources: [String: String], removed: [Int]) {
            let result = try warren(["prune", "--dry-run", "--json"] + arguments)
            let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
            var sources: [String: String] = [:]
            for applied in json["policies"] as? [[String: Any]] ?? [] {
                sources[applied["node"] as? String ?? "?"] = "\(applied["source"] ?? "?") \((applied["policy"] as? [String: Any])?["keep_last"] ?? "-")"
            }
            let removed = (json["backups"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "remove" }.compactMap { $0["id"] as? Int }
            return (sources, removed.sorted())
        }

        // No stored policy: the file's decide (rabbit@a's section, the default for rabbit@b).
        let fromFile = try plan([])
        #expect(fromFile.sources == ["rabbit@a": "file_node 1", "rabbit@b": "file_default 2"], "\(fromFile)")
        #expect(fromFile.removed == [1, 2])
        // Stored policies rank below the file; the flags above everything.
        try Command.check(Warren.binary, ["policy", "set", "--node", "rabbit@b", "--keep-last", "1", "--repo", repo])
        #expect(try plan([]).sources == ["rabbit@a": "file_node 1", "rabbit@b": "file_default 2"])
        let flags = try plan(["--keep-last", "3"])
        #expect(flags.sources == ["rabbit@a": "flags 3", "rabbit@b": "flags 3"] && flags.removed.isEmpty, "\(flags)")
        let text = try warren(["prune", "--dry-run"])
        #expect(text.stdout.contains("policy for rabbit@a: last 1 ([node rabbit@a] of \(config))"), "\(text.stdout)")
        let shown = try warren(["policy", "show"])
        #expect(shown.stdout.contains("node rabbit@a (file)") && shown.stdout.contains("(default, file)") && shown.stdout.contains("from \(config)"), "\(shown.stdout)")

        // serve makes the section's schedule; it is listed with its origin and cannot be removed by hand.
        let served = try Spawned(["serve"], environment: environment)  // SIGKILLed by its deinit if still running
        #expect(Self.answers(served, on: socket), "serve did not answer on \(socket)")
        let listed = try warren(["schedule", "list", "--json"])
        let schedules = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8))) as? [[String: Any]] ?? []
        #expect(schedules.count == 1 && schedules.first?["origin"] as? String == "\(config):5" && schedules.first?["at"] as? String == "03:00"
                && schedules.first?["jitter_seconds"] as? Int == 60 && schedules.first?["node"] as? String == "rabbit@a", "\(listed.stdout)")
        let id = schedules.first?["id"] as? Int ?? 0
        let refused = try warren(["schedule", "remove", String(id), "--json"])
        #expect(refused.status == 64 && (Self.error(refused)["message"] as? String ?? "").contains("declared in the configuration file (\(config):5)"), "\(refused.stdout)")
        served.signal(SIGTERM)
        #expect(served.wait(killingAfter: 900).status == 0)
    }

    @Test func aBadFileIsRefusedNamingTheLine() throws {
        let work = NSTemporaryDirectory() + "warren-config-bad-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let config = work + "/warren.conf"
        try Data("repo = /srv/warren\nkeep-forever = 3\n".utf8).write(to: URL(fileURLWithPath: config))
        let unknown = try Command.run(Warren.binary, ["list", "--json"], environment: ["WARREN_CONFIG": config])
        #expect(unknown.status == 19)
        #expect(Self.error(unknown)["code"] as? String == "configuration_invalid")
        #expect((Self.error(unknown)["message"] as? String ?? "").hasPrefix("configuration file \(config), line 2: unknown key `keep-forever`"), "\(unknown.stdout)")
        let missing = try Command.run(Warren.binary, ["list"], environment: ["WARREN_CONFIG": work + "/none.conf"])
        #expect(missing.status == 19 && missing.stderr.contains("\(work)/none.conf: no such file (named by WARREN_CONFIG)"), "\(missing.stderr)")
    }
}
