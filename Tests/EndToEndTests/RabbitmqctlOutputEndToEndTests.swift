import Foundation
import Testing

/// Issue 13, talking to rabbitmqctl: its raw output never reaches the operator. A failed call
/// is one line (the full text, without ANSI escapes, only under --verbose); Debian's wrapper
/// refusing the user and an unreadable Erlang cookie say what to do; WARREN_RABBITMQCTL is
/// used by every command that runs rabbitmqctl. Runs warren as `nobody` with setpriv.
@Suite struct RabbitmqctlOutputEndToEndTests {
    static let asNobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

    static func errorMessage(_ result: CommandResult) -> String {
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
        return (json?["error"] as? [String: Any])?["message"] as? String ?? ""
    }

    static func logLines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func nobodyIsToldWhatToDoAndWarrenRabbitmqctlIsUsedByEveryCommand() throws {
        #expect(getuid() == 0, "tests run as root (Tools/rabbitmq-node needs it)")
        let work = NSTemporaryDirectory() + "warren-ctl-user-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo", home = work + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try Command.check("/bin/chmod", ["-R", "a+rwx", work])
        let environment = ["PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "WARREN_RABBITMQCTL": ""]
        func nobody(_ arguments: [String], home: String) throws -> CommandResult {
            let command = Self.asNobody + [Warren.binary] + arguments + ["--repo", repo]
            return try Command.run(command[0], Array(command.dropFirst()), environment: environment.merging(["HOME": home]) { $1 })
        }
        #expect(try nobody(["init", "--no-encryption"], home: home).status == 0)   // plaintext: nobody cannot read the test password

        try RabbitNode.with("ctl-user") { node in
            // Debian's /usr/sbin/rabbitmqctl as nobody: its usage text (with ANSI escapes,
            // also into a file), then "Only root or rabbitmq should run rabbitmqctl".
            let refused = try nobody(["backup", "--node", node.nodeName, "--json", "--verbose"], home: home)
            #expect(refused.status == 7, "\(refused.stderr)")
            let message = Self.errorMessage(refused)
            #expect(message.contains("refuses to run as user nobody") && message.contains("run warren as root or as rabbitmq")
                    && message.contains("WARREN_RABBITMQCTL"), "\(message)")
            #expect(!message.contains("\n") && !message.contains("\u{1B}") && !message.contains("Usage"), "\(message)")
            let stderr = refused.stderr.split(separator: "\n").map(String.init)
            #expect(stderr.filter { $0.hasPrefix("warren: error:") } == ["warren: error: " + message], "\(refused.stderr)")
            // --verbose: the whole text, escapes removed.
            #expect(refused.stderr.contains("rabbitmqctl printed:") && refused.stderr.contains("  Usage")
                    && refused.stderr.contains("Only root or rabbitmq should run rabbitmqctl"), "\(refused.stderr)")
            #expect(!refused.stderr.contains("\u{1B}"), "ANSI escapes reached stderr")

            // The real CLI as nobody, with a HOME whose cookie it cannot read: Erlang's stack
            // trace about .erlang.cookie becomes one line (no --verbose: nothing else).
            let cookie = try nobody(["backup", "--node", node.nodeName, "--rabbitmqctl", "/usr/lib/rabbitmq/bin/rabbitmqctl"], home: "/root")
            #expect(cookie.status == 7, "\(cookie.stderr)")
            let lines = cookie.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(cookie.stderr)")
            #expect(cookie.stderr.contains("cannot use the Erlang cookie (/root/.erlang.cookie: eacces)")
                    && cookie.stderr.contains("WARREN_RABBITMQCTL"), "\(cookie.stderr)")

            // WARREN_RABBITMQCTL (as root): backup, verify --target-node and restore all run it.
            let log = work + "/ctl.log"
            let wrapper = work + "/ctl"
            try Data("#!/bin/sh\necho \"$*\" >> \(log)\nexec rabbitmqctl \"$@\"\n".utf8).write(to: URL(fileURLWithPath: wrapper))
            try Command.check("/bin/chmod", ["755", wrapper])
            let hookOut = work + "/hook.out"
            let viaEnv = environment.merging(["WARREN_RABBITMQCTL": wrapper]) { $1 }
            let backup = try Warren.run(["backup", "--node", node.nodeName, "--post-hook", "printf '%s|%s' \"$WARREN_OUTCOME\" \"$WARREN_ERROR\" > \(hookOut)"],
                                        repo: repo, environment: viaEnv)
            #expect(backup.status == 0, "\(backup.stderr)")
            let id = backup.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try String(contentsOfFile: hookOut, encoding: .utf8) == "succeeded|", "WARREN_ERROR is empty after a success")
            let afterBackup = Self.logLines(log)
            #expect(afterBackup.contains { $0.contains("-n \(node.nodeName) eval rabbit_misc:version().") }, "\(afterBackup)")
            #expect(afterBackup.contains { $0.contains("export_definitions") }, "\(afterBackup)")

            let verify = try Warren.run(["verify", id, "--target-node", node.nodeName, "--json"], repo: repo, environment: viaEnv)
            #expect(verify.status == 0 || verify.status == 1, "\(verify.stderr)")
            let afterVerify = Self.logLines(log)
            #expect(afterVerify.count > afterBackup.count && afterVerify.dropFirst(afterBackup.count).contains { $0.contains("-n \(node.nodeName) ") },
                    "verify --target-node asked the node through the wrapper: \(afterVerify)")

            let restore = try Warren.run(["restore", id, "--node", node.nodeName, "--dry-run", "--json"], repo: repo, environment: viaEnv)
            #expect(restore.status != 7 && restore.status != 64, "\(restore.stderr)")
            #expect(Self.logLines(log).count > afterVerify.count, "restore ran the wrapper")
        }
    }

    /// The post-hook of a failed backup gets the failure's message in WARREN_ERROR.
    @Test func postHookSeesTheFailuresMessage() throws {
        let work = NSTemporaryDirectory() + "warren-hook-error-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        let host = try Command.check("hostname", ["-s"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let node = "warren-hook-\(UInt32.random(in: 1...UInt32.max))@\(host)"   // no such node runs
        let hookOut = work + "/hook.out"
        let result = try Warren.run(["backup", "--node", node, "--json",
                                     "--post-hook", "printf '%s|%s' \"$WARREN_OUTCOME\" \"$WARREN_ERROR\" > \(hookOut)"], repo: repo)
        #expect(result.status == 7, "\(result.stderr)")
        let seen = try String(contentsOfFile: hookOut, encoding: .utf8)
        #expect(seen == "failed|" + Self.errorMessage(result), "\(seen)")
        #expect(seen.contains("node \(node): could not ask the node for its version: the node is not running"), "\(seen)")
    }
}
