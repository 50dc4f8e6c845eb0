import Foundation
import Testing

/// `warren serve` and `warren schedule` on an s3: repository, against a real SeaweedFS: the
/// service answers from its host's catalog cache, which reads what another host changed in
/// the bucket every --sync-interval seconds; what the service writes (a pin) reaches the
/// other host through the bucket.
@Suite struct S3ServiceEndToEndTests {
    /// Polls `condition` until it holds (the sync runs on its own interval: never assume it
    /// has run by some time, wait for its effect, with a generous bound for a loaded machine).
    private func eventually(_ timeout: Double = 180, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(200_000)
        }
        return try condition()
    }

    private func ids(_ answer: Served.Answer) -> [Int] {
        (((try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }.sorted()
    }

    @Test func serveAndSchedulesRunOnABucketAndSeeOtherHosts() throws {
        let work = NSTemporaryDirectory() + "warren-s3serve-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-serve") { server in
            let url = server.location(prefix: "served").description
            let hostA = S3RepositoryEndToEndTests.host(server, cache: work + "/cache-a")
            let hostB = S3RepositoryEndToEndTests.host(server, cache: work + "/cache-b")
            #expect(try Warren.run(["init"], repo: url, environment: hostA).status == 0)
            try SyntheticBackup.make(at: work + "/b1", uniqueFiles: 2)
            let first = try #require((try Warren.json(["register", work + "/b1", "--node", "rabbit@a"], repo: url, environment: hostA) as? [String: Any])?["id"] as? Int)

            // Schedules on s3: kept in this host's catalog cache (they are this host's).
            let added = try Warren.run(["schedule", "add", "--node", "rabbit@a", "--every", "1d", "--json"], repo: url, environment: hostA)
            #expect(added.status == 0, "\(added.stdout) \(added.stderr)")
            let schedule = try #require(S3RepositoryEndToEndTests.object(added)?["id"] as? Int, "\(added.stdout)")
            let listed = try Warren.run(["schedule", "list", "--json"], repo: url, environment: hostA)
            #expect(listed.status == 0 && listed.stdout.contains("\"rabbit@a\""), "\(listed.stdout) \(listed.stderr)")

            let served = try Served(repo: url, socket: work + "/a.sock", extra: ["--sync-interval", "1"], environment: hostA)
            #expect(served.ready(), "serve did not answer")
            #expect(try served.curl("GET", "/v1/health").object["repository"] as? String == url)
            #expect(ids(try served.curl("GET", "/v1/backups")) == [first])
            #expect(try served.curl("GET", "/v1/schedules/\(schedule)").status == 200)

            // Host B backs up into the bucket: the running service sees it after a sync.
            try SyntheticBackup.make(at: work + "/b2", uniqueFiles: 3)
            let second = try #require((try Warren.json(["register", work + "/b2", "--node", "rabbit@b"], repo: url, environment: hostB) as? [String: Any])?["id"] as? Int)
            #expect(try eventually { ids(try served.curl("GET", "/v1/backups")) == [first, second] }, "host B's backup never reached the service")

            // A pin through the service is a state document in the bucket: host B sees it.
            let pinned = try served.curl("PUT", "/v1/backups/\(second)/pin", body: #"{"note": "keep for audit"}"#)
            #expect(pinned.status == 200 && pinned.object["pinned"] as? Bool == true, "\(pinned.body)")
            let seenByB = try #require(try Warren.json(["show", String(second)], repo: url, environment: hostB) as? [String: Any])
            #expect((seenByB["backup"] as? [String: Any])?["pin_note"] as? String == "keep for audit", "\(seenByB)")

            // A full verify job reads the other host's objects from the bucket.
            let job = try served.curl("POST", "/v1/backups/\(second)/verify", body: #"{"full": true}"#)
            #expect(job.status == 202, "\(job.body)")
            let (finished, _) = try served.follow(job: job.object["id"])
            #expect(finished["state"] as? String == "succeeded", "\(finished)")

            // Host B forgets the first backup (under the bucket's lock): the service drops it.
            // (It waits for the schedule's backup, which came due when the service started and
            // holds a shared lock until it fails: rabbit@a is no running node.)
            let forgot = try Warren.run(["forget", String(first), "--lock-timeout", "600"], repo: url, environment: hostB)
            #expect(forgot.status == 0, "\(forgot.stdout) \(forgot.stderr)")
            #expect(try eventually { ids(try served.curl("GET", "/v1/backups")) == [second] }, "the forgotten backup stayed in the service's list")
            #expect(served.terminate().status == 0)

            // Without --socket: warren.sock in this host's cache directory of the repository.
            let cacheRoot = work + "/cache-b/warren"
            let repositoryID = try #require(try FileManager.default.contentsOfDirectory(atPath: cacheRoot).first)
            let defaultSocket = cacheRoot + "/" + repositoryID + "/warren.sock"
            let spawned = try Spawned(["serve", "--repo", url], environment: hostB)
            #expect(try eventually(120) {
                !spawned.process.isRunning || (try? Served.curl(["--unix-socket", defaultSocket, "http://warren/v1/health"]))?.status == 200
            } && spawned.process.isRunning, "no answer on \(defaultSocket)")
            kill(spawned.pid, SIGTERM)
            #expect(spawned.wait().status == 0)
        }
    }
}
