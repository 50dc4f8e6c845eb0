import Foundation
import Testing
import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// Issue 12 §1 through `warren serve`, on a real 3.10.8 node: a backup job's `stop_app` runs
/// under the broker guard (the service is SIGKILLed while the app is stopped, and the guard
/// starts it again), and the restore journal a SIGKILLed CLI restore left is reported to
/// jobs, planned, resumed and rolled back through `/v1/restores/{node}/resume|rollback`.
/// Kills are aimed deterministically, as in ``BrokerSafetyEndToEndTests``.
@Suite(.serialized) struct ServeBrokerSafetyEndToEndTests {
    typealias Safety = BrokerSafetyEndToEndTests

    /// A CLI restore held after its first files, then SIGKILLed: the journal stays, the guard
    /// starts the app.
    static func killedRestore(_ id: Int, node: RabbitNode, repo: String) throws {
        let restore = try Spawned(["restore", String(id), "--node", node.nodeName, "--replace-vhost-data", "--repo", repo],
                                  environment: ["WARREN_TEST_HOLD_AFTER_FILES": "3"])
        try #require(restore.waitForStderr(containing: "warren: test hold"), "\(restore.wait().stderr)")
        restore.sigkill()
        _ = restore.wait()
        #expect(Safety.guardRecord(repo: repo, node: node.nodeName, parent: restore.pid)?["outcome"] as? String == "started")
        #expect(Safety.appRunning(node))
        #expect(FileManager.default.fileExists(atPath: repo + "/journal/restore-\(node.nodeName).json"))
    }

    /// Posts a job and follows it to its end.
    static func post(_ served: Served, _ path: String, _ body: String) throws -> [String: Any] {
        let answer = try served.curl("POST", path, body: body)
        try #require(answer.status == 202, "\(path) \(body): \(answer.status) \(answer.body)")
        return try served.follow(job: answer.object["id"], timeout: 900).job
    }

    /// A service whose rabbitmqctl does the real `stop_app` and then hangs: `body` posts the
    /// job; the service is SIGKILLed while the app is stopped, and its guard must start it.
    static func killedWhileStopped(_ path: String, _ body: String, node: RabbitNode, repo: String, work: String) throws {
        let hang = try FakeRabbitmqctl(.hangAfterStop, in: work)
        let served = try Served(repo: repo, socket: work + "/\(UUID().uuidString.prefix(6)).sock", environment: ["WARREN_RABBITMQCTL": hang.path])
        #expect(served.ready(), "serve did not answer")
        let posted = try served.curl("POST", path, body: body)
        #expect(posted.status == 202, "\(posted.body)")
        let hung = try #require(hang.waitForHang(), "stop_app never came")
        #expect(!Safety.appRunning(node), "the app is stopped while the job waits")
        served.spawned.sigkill()
        // The hanging step first: it inherited the descriptor on which Foundation's Process sees the exit.
        kill(-hung, SIGKILL)
        #expect(served.spawned.wait().status == 128 + SIGKILL)
        let record = try #require(Safety.guardRecord(repo: repo, node: node.nodeName, parent: served.spawned.pid), "no guard acted for the service")
        #expect(record["outcome"] as? String == "started", "\(record)")
        #expect(Safety.appRunning(node), "0 stopped apps after the guard acted")
    }

    @Test func serveJobsAreGuardedAndResumeOrRollBackAnInterruptedRestore() throws {
        let work = Safety.workDir()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        let journal = repo + "/journal/restore-"
        #expect(try Warren.run(["init"], repo: repo).status == 0)
        try RabbitNode.with("serve-guard") { node in
            try Safety.fill(node)
            let backedUp = try Safety.counts(node)
            let id = try #require(try Warren.json(["backup", "--node", node.nodeName, "--stop-app"], repo: repo) as? [String: Any])["id"] as! Int

            // A backup job with stop_app, then a restore job: each service is SIGKILLed while the app is stopped.
            try Self.killedWhileStopped("/v1/backups", "{\"node\": \"\(node.nodeName)\", \"stop_app\": true}", node: node, repo: repo, work: work)
            #expect(try Safety.counts(node) == backedUp)
            try node.amqp(["publish", "/", "orders", "--count", "5", "--size", "200", "--seed", "extra"])
            try Self.killedWhileStopped("/v1/restores", "{\"backup\": \(id), \"node\": \"\(node.nodeName)\", \"replace_vhost_data\": true, \"confirm\": true}",
                                        node: node, repo: repo, work: work)
            // The restore job journaled its steps as the CLI does: the journal of the killed service is left.
            let left = try #require(try RestoreJournal.load(repository: repo, node: node.nodeName), "the killed restore job left no journal")
            #expect(left.record.step == .stoppingApp && left.record.backupId == Int64(id), "\(left.record)")
            let check = try Warren.run(["check", "--json"], repo: repo)
            #expect(check.status == 1 && check.stdout.contains("\"restore_interrupted\""), "\(check.stdout)")

            // A service with the real rabbitmqctl: backup jobs of that node are refused; resume plans, then finishes it.
            var served = try Served(repo: repo, socket: work + "/served.sock")
            #expect(served.ready(), "serve did not answer")
            let refused = try Self.post(served, "/v1/backups", "{\"node\": \"\(node.nodeName)\"}")
            #expect(refused["state"] as? String == "failed" && (refused["error"] as? [String: Any])?["code"] as? String == "restore_interrupted", "\(refused)")
            let plan = try Self.post(served, "/v1/restores/\(node.nodeName)/resume", #"{"dry_run": true}"#)
            #expect(plan["state"] as? String == "succeeded" && plan["kind"] as? String == "restore_resume", "\(plan)")
            #expect((plan["result"] as? [String: Any])?["dry_run"] as? Bool == true, "\(plan)")
            #expect(FileManager.default.fileExists(atPath: journal + node.nodeName + ".json"), "a dry run keeps the journal")
            let resumed = try Self.post(served, "/v1/restores/\(node.nodeName)/resume", #"{"confirm": true}"#)
            #expect(resumed["state"] as? String == "succeeded", "\(resumed)")
            #expect((resumed["result"] as? [String: Any])?["outcome"] as? String == "succeeded", "\(resumed)")
            #expect(try Safety.counts(node) == backedUp, "every classic queue has the backup's count")
            #expect(!FileManager.default.fileExists(atPath: journal + node.nodeName + ".json"))
            let nothing = try served.curl("POST", "/v1/restores/\(node.nodeName)/resume", body: #"{"confirm": true}"#)
            #expect(nothing.status == 404 && nothing.errorCode == "no_interrupted_restore", "\(nothing.body)")
            #expect(served.terminate().status == 0)

            // A CLI restore SIGKILLed mid-write (CLI writers need the service stopped); rollback through the service.
            try node.amqp(["publish", "shop", "mails", "--count", "4", "--size", "300", "--seed", "extra2"])
            let before = try Safety.counts(node)
            #expect(before != backedUp)
            try Self.killedRestore(id, node: node, repo: repo)
            served = try Served(repo: repo, socket: work + "/served.sock")
            #expect(served.ready(), "serve did not answer")
            let rolled = try Self.post(served, "/v1/restores/\(node.nodeName)/rollback", #"{"confirm": true}"#)
            #expect(rolled["state"] as? String == "succeeded" && rolled["kind"] as? String == "restore_rollback", "\(rolled)")
            let result = try #require(rolled["result"] as? [String: Any])
            #expect((result["restored"] as? [String])?.isEmpty == false && result["backup"] as? Int == id, "\(result)")
            #expect(Safety.appRunning(node))
            #expect(try Safety.counts(node) == before)
            #expect(served.terminate().status == 0)
            let checked = try Warren.run(["check"], repo: repo)
            #expect(checked.status == 0, "\(checked.stdout)")
        }
    }
}
