import Foundation
import Testing
import WarrenCore

/// Issue 13, "writers while the service runs": before, `register`, `pin` and the other writers
/// exited 8 with "use --socket" while `warren serve` ran, and had no way through. Now they share
/// the repository lock with the service, and the service (which reads the catalog on every
/// request, and its schedules at every tick) sees what they wrote. Schedules also go through
/// the API (`--socket`). Only `catalog rebuild`, which replaces the catalog file the service
/// holds open, is still refused.
@Suite(.serialized) struct WritersDuringServeEndToEndTests {
    static func json(_ text: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func registerPinAndSchedulesWorkWhileServing() throws {
        let (work, repo, ids) = try ServiceEndToEndTests.setUp()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let socket = work + "/w.sock"
        let served = try Served(repo: repo, socket: socket, environment: ["WARREN_RABBITMQCTL": "/bin/false"])
        defer { _ = served.terminate() }
        #expect(served.ready())

        // register and pin, directly on the repository, while the service serves it.
        try SyntheticBackup.make(at: work + "/b9", seed: 9)
        let registered = try Warren.run(["register", work + "/b9", "--node", "rabbit@svc", "--json"], repo: repo)
        #expect(registered.status == 0, "\(registered.stderr)")
        let id = try #require((Self.json(registered.stdout) as? [String: Any])?["id"] as? Int)
        let pinned = try Warren.run(["pin", String(id), "--note", "while serving"], repo: repo)
        #expect(pinned.status == 0, "\(pinned.stderr)")
        let seen = try served.curl("GET", "/v1/backups/\(id)").object["backup"] as? [String: Any]
        #expect(seen?["pinned"] as? Bool == true && seen?["pin_note"] as? String == "while serving", "\(seen ?? [:])")
        #expect(try served.curl("GET", "/v1/health").object["backups"] as? Int == ids.count + 1)
        #expect(try Warren.run(["unpin", String(id)], repo: repo).status == 0)
        #expect((try served.curl("GET", "/v1/backups/\(id)").object["backup"] as? [String: Any])?["pinned"] as? Bool == false)
        #expect(try Warren.run(["policy", "set", "--node", "rabbit@svc", "--keep-last", "9"], repo: repo).status == 0)
        let policies = Self.json(try served.curl("GET", "/v1/policy").body) as? [[String: Any]] ?? []
        #expect(policies.contains { $0["node"] as? String == "rabbit@svc" && ($0["policy"] as? [String: Any])?["keep_last"] as? Int == 9 }, "\(policies)")

        // Schedules through the service (`--socket`) and directly: one list.
        let viaAPI = try Command.run(Warren.binary, ["--socket", socket, "schedule", "add", "--node", "rabbit@svc", "--at", "Mon..Fri 02:30", "--jitter", "15m", "--json"])
        #expect(viaAPI.status == 0, "\(viaAPI.stderr)")
        let added = try #require(Self.json(viaAPI.stdout) as? [String: Any])
        #expect(added["at"] as? String == "Mon..Fri 02:30" && added["jitter_seconds"] as? Int == 900 && added["next_run_at"] is String)
        let hooks = try Command.run(Warren.binary, ["--socket", socket, "schedule", "add", "--node", "rabbit@svc", "--every", "1d", "--pre-hook", "true"])
        #expect(hooks.status == 64 && hooks.stderr.contains("--pre-hook: hooks are not taken over --socket"), "\(hooks.stderr)")
        let direct = try Warren.run(["schedule", "add", "--node", "rabbit@other", "--at", "weekly", "--json"], repo: repo)
        #expect(direct.status == 0, "\(direct.stderr)")
        let local = try Warren.run(["schedule", "list", "--json"], repo: repo).stdout
        let remote = try Command.run(Warren.binary, ["--socket", socket, "schedule", "list", "--json"])
        #expect(remote.status == 0 && remote.stdout == local, "\(remote.stderr)")
        #expect((Self.json(local) as? [Any])?.count == 2)
        let text = try Command.run(Warren.binary, ["--socket", socket, "schedule", "list"])
        #expect(text.stdout.contains("NEXT RUN") && text.stdout.contains("Mon..Fri 02:30 ~15m") && text.stdout.contains("Mon 00:00"), "\(text.stdout)")
        #expect(text.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(text.stdout)")
        let scheduleID = try #require(added["id"] as? Int)
        #expect(try Command.run(Warren.binary, ["--socket", socket, "schedule", "remove", String(scheduleID)]).status == 0)
        let gone = try Command.run(Warren.binary, ["--socket", socket, "schedule", "remove", String(scheduleID), "--json"])
        #expect(gone.status == 64 && gone.stdout.contains("schedule_not_found"), "\(gone.stdout)")
        #expect((Self.json(try served.curl("GET", "/v1/schedules").body) as? [Any])?.count == 1)

        // The one writer that cannot share: a rebuild would rename a file over the open catalog.
        let rebuild = try Warren.run(["catalog", "rebuild", "--force"], repo: repo)
        #expect(rebuild.status == 8 && rebuild.stderr.contains("stop the service first"), "\(rebuild.stderr)")
        #expect(try Warren.run(["catalog", "rebuild", "--output", work + "/copy.sqlite"], repo: repo).status == 0, "--output leaves the live catalog alone")
    }

    /// A scheduled run that comes due while a CLI writer holds the repository lock waits for
    /// the lock instead of failing on it (the service's jobs only wait 2 s for an outside holder).
    @Test func dueScheduledRunWaitsForALockHeldByAWriter() throws {
        let (work, repo, _) = try ServiceEndToEndTests.setUp()
        defer { try? FileManager.default.removeItem(atPath: work) }
        #expect(try Warren.run(["schedule", "add", "--node", "rabbit@svc", "--every", "1d"], repo: repo).status == 0)
        let holder = try LockHolderProcess(repo: repo, command: "register")
        let served = try Served(repo: repo, socket: work + "/w.sock", extra: ["--log-level", "debug"], environment: ["WARREN_RABBITMQCTL": "/bin/false"])
        defer { _ = served.terminate() }
        #expect(served.ready())
        #expect(served.spawned.waitForStderr(containing: "scheduled runs wait for the repository lock"))
        let jobs = Self.json(try served.curl("GET", "/v1/jobs").body) as? [[String: Any]] ?? []
        #expect(jobs.isEmpty, "a run was started while the lock was held: \(jobs)")
        holder.release()
        // Once free, the run starts (and fails at once: rabbitmqctl is /bin/false), recorded.
        #expect(served.spawned.waitForStderr(containing: "scheduled run submitted"))
        let job = (Self.json(try served.curl("GET", "/v1/jobs").body) as? [[String: Any]])?.first
        let (finished, _) = try served.follow(job: job?["id"])
        #expect(finished["state"] as? String == "failed" && (finished["error"] as? [String: Any])?["code"] as? String == "broker_error", "\(finished)")
        let schedule = (Self.json(try served.curl("GET", "/v1/schedules").body) as? [[String: Any]])?.first ?? [:]
        #expect(schedule["run_count"] as? Int == 1 && schedule["last_outcome"] as? String == "failed", "\(schedule)")
    }
}
