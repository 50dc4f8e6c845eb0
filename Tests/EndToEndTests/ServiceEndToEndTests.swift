import Foundation
import Testing
import WarrenCore

/// A real `warren serve` process, spoken to over its real Unix socket with curl (and over
/// its TCP listener), as a dashboard or script would.
final class Served {
    let socket: String
    let spawned: Spawned

    init(repo: String, socket: String, extra: [String] = [], environment: [String: String] = [:]) throws {
        self.socket = socket
        spawned = try Spawned(["serve", "--repo", repo, "--socket", socket] + extra, environment: environment)
    }

    /// Waits until the socket answers; false if the process ended first.
    func ready(timeout: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && spawned.process.isRunning {
            if let answer = try? curl("GET", "/v1/health"), answer.status == 200 { return true }
            usleep(50_000)
        }
        return false
    }

    struct Answer {
        var status: Int
        var body: String
        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    }

    static func curl(_ arguments: [String], body: String? = nil) throws -> Answer {
        var args = ["-sS", "--max-time", "30", "-w", "\n%{http_code}"] + arguments
        var bodyFile: String?
        if let body {
            let path = NSTemporaryDirectory() + "warren-body-\(UUID().uuidString)"
            try Data(body.utf8).write(to: URL(fileURLWithPath: path))
            bodyFile = path
            args += ["-H", "Content-Type: application/json", "--data-binary", "@" + path]
        }
        defer { if let bodyFile { try? FileManager.default.removeItem(atPath: bodyFile) } }
        let result = try Command.run("curl", args)
        guard let newline = result.stdout.lastIndex(of: "\n"), let status = Int(result.stdout[result.stdout.index(after: newline)...]) else {
            throw CommandFailure(command: "curl " + arguments.joined(separator: " "), result: result)
        }
        return Answer(status: status, body: String(result.stdout[..<newline]))
    }

    func curl(_ method: String, _ path: String, body: String? = nil, extra: [String] = []) throws -> Answer {
        try Self.curl(["--unix-socket", socket, "-X", method] + extra + ["http://warren" + path], body: body)
    }

    /// Follows a job to its end; returns the final job and every progress seen on the way.
    func follow(job: Any?, timeout: Double = 300) throws -> (job: [String: Any], progress: [[String: Any]]) {
        let id = (job as? NSNumber)?.intValue ?? -1
        var seen: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let answer = try curl("GET", "/v1/jobs/\(id)")
            let object = answer.object
            if let progress = object["progress"] as? [String: Any] { seen.append(progress) }
            if let state = object["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) { return (object, seen) }
            usleep(20_000)
        }
        throw CommandFailure(command: "follow job \(id)", result: .init(status: 1, stdout: "", stderr: "timed out"))
    }

    func terminate() -> CommandResult {
        kill(spawned.pid, SIGTERM)
        return spawned.wait()
    }
}

@Suite(.serialized) struct ServiceEndToEndTests {
    static func setUp() throws -> (work: String, repo: String, ids: [Int]) {
        let work = NSTemporaryDirectory() + "warren-svc-\(UUID().uuidString.prefix(8))"
        let repo = work + "/repo"
        #expect(try Warren.run(["init", "--no-encryption"], repo: repo).status == 0)
        var ids: [Int] = []
        for i in 0..<3 {
            let dir = work + "/b\(i)"
            try SyntheticBackup.make(at: dir, seed: UInt64(i + 1))
            let out = try Warren.json(["register", dir, "--node", "rabbit@svc", "--taken-at", "2026-11-2\(i)T10:00:00Z"], repo: repo)
            ids.append(((out as? [String: Any])?["id"] as? Int) ?? -1)
        }
        return (work, repo, ids)
    }

    @Test func unixSocketModeReadsJobsCLIAndShutdown() throws {
        let (work, repo, ids) = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let socket = work + "/w.sock"
        let served = try Served(repo: repo, socket: socket, extra: ["--socket-mode", "0640"])
        #expect(served.ready(), "serve did not answer: \(served.spawned.process.isRunning)")

        // The socket exists with the requested mode, and nothing is left in the staging dir.
        var info = stat()
        #expect(lstat(socket, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o777 == 0o640)
        #expect(!FileManager.default.fileExists(atPath: work + "/.warren-\(served.spawned.pid)"))

        // Reads: identical to the CLI's --json, also through `warren --socket`.
        let localList = try Warren.run(["list", "--json"], repo: repo).stdout
        #expect(try served.curl("GET", "/v1/backups").body == localList)
        let viaSocket = try Command.run(Warren.binary, ["--socket", socket, "list", "--json"])
        #expect(viaSocket.status == 0 && viaSocket.stdout == localList, "\(viaSocket.stderr)")
        let localShow = try Warren.run(["show", String(ids[1]), "--json"], repo: repo).stdout
        #expect(try served.curl("GET", "/v1/backups/\(ids[1])").body == localShow)
        let showViaSocket = try Command.run(Warren.binary, ["--socket", socket, "show", String(ids[1]), "--json"])
        #expect(showViaSocket.stdout == localShow)
        let textList = try Command.run(Warren.binary, ["--socket", socket, "list"])
        #expect(textList.status == 0 && textList.stdout.contains("rabbit@svc"))
        let missing = try Command.run(Warren.binary, ["--socket", socket, "show", "999", "--json"])
        #expect(missing.status == 3 && missing.stdout.contains("backup_not_found"))

        // verify through the CLI (a job on the service) and through the API
        let verified = try Command.run(Warren.binary, ["--socket", socket, "verify", String(ids[0]), "--json"])
        #expect(verified.status == 0, "\(verified.stderr)")
        let verifyJSON = (try? JSONSerialization.jsonObject(with: Data(verified.stdout.utf8))) as? [String: Any] ?? [:]
        // Synthetic backups are live copies: viable with a live_copy warning, as locally.
        #expect(verifyJSON["verdict"] as? String == "viable_with_warnings" && verifyJSON["backup"] as? Int == ids[0], "\(verified.stdout)")
        let job = try served.curl("POST", "/v1/backups/\(ids[2])/verify", body: #"{"full": true}"#)
        #expect(job.status == 202)
        let (finished, _) = try served.follow(job: job.object["id"])
        #expect(finished["state"] as? String == "succeeded")
        #expect((finished["result"] as? [String: Any])?["verdict"] as? String == "viable_with_warnings")
        let localVerify = try Warren.run(["verify", String(ids[2]), "--full", "--json"], repo: repo)
        let localVerdict = ((try? JSONSerialization.jsonObject(with: Data(localVerify.stdout.utf8))) as? [String: Any])?["verdict"] as? String
        #expect(localVerdict == "viable_with_warnings")

        // prune dry-run: a plan, nothing removed
        let prune = try served.curl("POST", "/v1/prune", body: #"{"dry_run": true, "keep_last": 1}"#)
        #expect(prune.status == 202)
        let (pruned, _) = try served.follow(job: prune.object["id"])
        let report = pruned["result"] as? [String: Any] ?? [:]
        #expect(report["dry_run"] as? Bool == true && report["removed_count"] as? Int == 2, "\(pruned)")
        #expect(try served.curl("GET", "/v1/health").object["backups"] as? Int == 3)

        // bad input over the real socket
        #expect(try served.curl("GET", "/v1/backups/../1", extra: ["--path-as-is"]).status == 404)
        #expect(try served.curl("GET", "/v1/backups/..%2F1").errorCode == "invalid_id")
        #expect(try served.curl("POST", "/v1/restores", body: "{\"backup\": \(ids[0]), \"node\": \"rabbit@x\"}").errorCode == "confirm_required")
        #expect(try served.curl("POST", "/v1/backups", body: "{oops").errorCode == "malformed_json")
        let huge = try served.curl("POST", "/v1/prune", body: "{\"node\": \"" + String(repeating: "n", count: 300_000) + "\"}")
        #expect(huge.status == 413)
        #expect(try served.curl("GET", "/v1/health").status == 200, "still serving after bad input")

        // Issue 13: CLI writers work beside the service (they share the repository lock), and
        // readers still work directly; see WritersDuringServeEndToEndTests.
        let writer = try Warren.run(["pin", String(ids[0])], repo: repo)
        #expect(writer.status == 0, "\(writer.stderr)")
        #expect(try Warren.run(["list"], repo: repo).status == 0)

        // A second server on the same socket is refused; the first keeps serving.
        let second = try Served(repo: repo, socket: socket)
        let refused = second.spawned.wait()
        #expect(refused.status != 0 && refused.stderr.contains("running"), "\(refused.stderr)")
        #expect(try served.curl("GET", "/v1/health").status == 200)

        // SIGTERM: clean exit, socket and marker removed.
        let ended = served.terminate()
        #expect(ended.status == 0, "\(ended.stderr)")
        #expect(!FileManager.default.fileExists(atPath: socket))
        #expect(!FileManager.default.fileExists(atPath: repo + "/service.json"))
        #expect(ended.stderr.contains("serving"), "structured logs on stderr")
        #expect(try Warren.run(["pin", String(ids[0])], repo: repo).status == 0)
    }

    @Test func staleSocketIsReplacedAndDefaultPathIsInTheRepository() throws {
        let (work, repo, _) = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let killed = try Spawned(["serve", "--repo", repo])
        let socket = repo + "/warren.sock"
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: socket) && Date() < deadline { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: socket))
        killed.sigkill()
        _ = killed.wait()
        #expect(FileManager.default.fileExists(atPath: socket), "SIGKILL leaves the socket file behind")
        // --socket-group: the group is applied too (the tests run as root, so chown works).
        let group = try #require(getgrnam("daemon")).pointee.gr_gid
        let served = try Served(repo: repo, socket: socket, extra: ["--socket-group", "daemon"])
        #expect(served.ready())
        var info = stat()
        #expect(lstat(socket, &info) == 0 && info.st_mode & 0o777 == 0o660 && info.st_gid == group)
        #expect(served.terminate().status == 0)
        let unknownGroup = try Warren.run(["serve", "--socket-group", "no-such-group-xyz"], repo: repo)
        #expect(unknownGroup.status == 64 && unknownGroup.stderr.contains("no group named"))
    }

    @Test func tcpListenerRequiresTheToken() throws {
        let (work, repo, _) = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let port = 20000 + Int(getpid() % 20000)
        let refused = try Warren.run(["serve", "--listen", "127.0.0.1:\(port)"], repo: repo)
        #expect(refused.status == 64 && refused.stderr.contains("--token-file"))
        let tokenFile = work + "/token"
        try Data("tok-0123456789abcdef\n".utf8).write(to: URL(fileURLWithPath: tokenFile))
        chmod(tokenFile, 0o644)
        let loose = try Warren.run(["serve", "--socket", work + "/t.sock", "--listen", "127.0.0.1:\(port)", "--token-file", tokenFile], repo: repo)
        #expect(loose.status != 0 && loose.stderr.contains("chmod 600"))
        chmod(tokenFile, 0o600)
        let served = try Served(repo: repo, socket: work + "/t.sock", extra: ["--listen", "127.0.0.1:\(port)", "--token-file", tokenFile])
        #expect(served.ready())
        let base = "http://127.0.0.1:\(port)"
        let anonymous = try Served.curl([base + "/v1/backups"])
        #expect(anonymous.status == 401 && anonymous.errorCode == "unauthorized")
        #expect(try Served.curl(["-H", "Authorization: Bearer wrong", base + "/v1/health"]).status == 401)
        let authorized = try Served.curl(["-H", "Authorization: Bearer tok-0123456789abcdef", base + "/v1/backups"])
        #expect(authorized.status == 200)
        #expect(served.terminate().status == 0)
    }

    @Test func backupJobOnARealNodeWithProgressThenRestoreDryRun() throws {
        let (work, repo, _) = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: work) }
        try RabbitNode.with("e2e-svc") { node in
            try node.amqp(["declare", "/", "orders"])
            try node.amqp(["publish", "/", "orders", "--count", "200", "--size", "2000", "--seed", "svc"])
            // Transient ones, which stop_app drops: the job's result names them (issue 16 §2).
            try node.amqp(["publish", "/", "orders", "--count", "3", "--size", "100", "--transient", "--seed", "svc-t"])
            let served = try Served(repo: repo, socket: work + "/n.sock")
            defer { _ = served.terminate() }
            #expect(served.ready())
            let accepted = try served.curl("POST", "/v1/backups", body: "{\"node\": \"\(node.nodeName)\", \"label\": \"via api\", \"stop_app\": true}")
            #expect(accepted.status == 202, "\(accepted.body)")
            let (job, progress) = try served.follow(job: accepted.object["id"])
            #expect(job["state"] as? String == "succeeded", "\(job)")
            let result = job["result"] as? [String: Any] ?? [:]
            #expect(result["node"] as? String == node.nodeName && result["label"] as? String == "via api" && result["state"] as? String == "complete")
            // The same losses as `backup --json`: what stopping the app dropped, every key present.
            let losses = result["losses"] as? [[String: Any]] ?? []
            #expect(losses.count == 1, "\(result)")
            #expect(losses.first?["kind"] as? String == "transient_messages" && losses.first?["vhost"] as? String == "/"
                    && losses.first?["queue"] as? String == "orders" && losses.first?["messages"] as? Int == 3
                    && losses.first?["exchange"] is NSNull, "\(losses)")
            let final = job["progress"] as? [String: Any] ?? [:]
            #expect((final["files_total"] as? Int ?? 0) > 0 && final["files_done"] as? Int == final["files_total"] as? Int, "\(final)")
            #expect((final["bytes_total"] as? Int ?? 0) > 0)
            #expect(!progress.isEmpty)
            let id = result["id"] as? Int ?? -1
            // The summary in the job equals `show`'s backup object.
            let shown = try served.curl("GET", "/v1/backups/\(id)").object["backup"] as? [String: Any] ?? [:]
            #expect(shown["id"] as? Int == id && shown["message_count"] as? Int == 200)

            // Empty the queue so that a restore would be accepted; the dry run must plan it and change nothing.
            try node.ctl(["purge_queue", "orders"])
            let missingConfirm = try served.curl("POST", "/v1/restores", body: "{\"backup\": \(id), \"node\": \"\(node.nodeName)\"}")
            #expect(missingConfirm.status == 400 && missingConfirm.errorCode == "confirm_required")
            let plan = try served.curl("POST", "/v1/restores", body: "{\"backup\": \(id), \"node\": \"\(node.nodeName)\", \"dry_run\": true}")
            #expect(plan.status == 202)
            let (restore, _) = try served.follow(job: plan.object["id"])
            #expect(restore["state"] as? String == "succeeded", "\(restore)")
            let r = restore["result"] as? [String: Any] ?? [:]
            #expect(r["dry_run"] as? Bool == true && r["outcome"] as? String == "planned", "\(r)")
            #expect(try node.messageCounts(vhost: "/")["orders"] == 0, "a dry run changes nothing")
            // The node's real password hashes (guest's) appear in no answer.
            let exported = try node.ctl(["export_definitions", "-", "--quiet"])
            let definitions = (try? JSONSerialization.jsonObject(with: Data(exported[(exported.firstIndex(of: "{") ?? exported.startIndex)...].utf8))) as? [String: Any]
            let hashes = (definitions?["users"] as? [[String: Any]] ?? []).compactMap { $0["password_hash"] as? String }.filter { !$0.isEmpty }
            #expect(!hashes.isEmpty, "the node has users with password hashes")
            for path in ["/v1/jobs", "/v1/backups", "/v1/backups/\(id)", "/v1/backups/\(id)/queues", "/v1/health", "/v1/policy"] {
                let answer = try served.curl("GET", path)
                #expect(answer.status == 200)
                for hash in hashes { #expect(!answer.body.contains(hash), "\(path) holds a password hash") }
                #expect(!answer.body.contains("\"password_hash\""), "\(path)")
            }
        }
    }
}

/// Automation: a schedule with a short interval, run by a real `warren serve` against a
/// real node, takes backups, verifies each, and prunes to the stored policy.
@Suite(.serialized) struct ScheduleEndToEndTests {
    @Test func shortScheduleBacksUpVerifiesAndPrunes() throws {
        let work = NSTemporaryDirectory() + "warren-sched-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        #expect(try Warren.run(["init"], repo: repo).status == 0)
        try RabbitNode.with("e2e-sched") { node in
            try node.amqp(["declare", "/", "orders"])
            try node.amqp(["publish", "/", "orders", "--count", "50", "--size", "1000", "--seed", "sched"])
            let added = try Warren.json(["schedule", "add", "--node", node.nodeName, "--every", "2s", "--label", "auto"], repo: repo) as? [String: Any]
            #expect(added?["every_seconds"] as? Int == 2)
            #expect(try Warren.run(["policy", "set", "--node", node.nodeName, "--keep-last", "2"], repo: repo).status == 0)
            let served = try Served(repo: repo, socket: work + "/s.sock")
            defer { _ = served.terminate() }
            #expect(served.ready())
            // Wait for four recorded runs.
            let deadline = Date().addingTimeInterval(180)
            var schedule: [String: Any] = [:]
            while Date() < deadline {
                let list = (try? JSONSerialization.jsonObject(with: Data(try served.curl("GET", "/v1/schedules").body.utf8))) as? [[String: Any]] ?? []
                schedule = list.first ?? [:]
                if (schedule["run_count"] as? Int ?? 0) >= 4 { break }
                usleep(200_000)
            }
            #expect((schedule["run_count"] as? Int ?? 0) >= 4, "\(schedule)")
            #expect(schedule["last_outcome"] as? String == "succeeded", "\(schedule)")
            #expect(schedule["last_verdict"] != nil && schedule["last_backup_id"] != nil)
            let backups = (try? JSONSerialization.jsonObject(with: Data(try served.curl("GET", "/v1/backups?node=\(node.nodeName)").body.utf8))) as? [[String: Any]] ?? []
            // keep_last 2 (a run may be between its backup and its prune: at most one more)
            #expect(backups.count >= 2 && backups.count <= 3, "\(backups.count) backups")
            let complete = backups.filter { $0["state"] as? String == "complete" }
            #expect(complete.allSatisfy { $0["label"] as? String == "auto" })
            #expect(complete.prefix(2).allSatisfy { $0["last_verdict"] is String }, "each scheduled backup is verified")
            let jobs = (try? JSONSerialization.jsonObject(with: Data(try served.curl("GET", "/v1/jobs").body.utf8))) as? [[String: Any]] ?? []
            let scheduled = jobs.filter { $0["kind"] as? String == "scheduled" && $0["state"] as? String == "succeeded" }
            #expect(scheduled.count >= 4)
            let result = scheduled.first?["result"] as? [String: Any] ?? [:]
            #expect((result["prune"] as? [String: Any])?["removed_count"] is Int && (result["verify"] as? [String: Any])?["verdict"] is String)
            let text = try Warren.run(["schedule", "list"], repo: repo)
            #expect(text.status == 0 && text.stdout.contains("succeeded"))
        }
    }
}
