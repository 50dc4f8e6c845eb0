import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WarrenCore
@testable import WarrenServer

/// The /v1 router in process: answers identical to the CLI's --json, filters and pages,
/// jobs, and every kind of bad input refused with a JSON 4xx.
@Suite struct APITests {
    @Test func readsMatchTheCLIJSON() async throws {
        let fixture = try Fixture(backups: 3)
        let queries = CatalogQueries(catalog: fixture.repository.catalog)
        try await fixture.app().test(.router) { client in
            let list = try await client.call(.get, "/v1/backups")
            #expect(list.status == 200)
            #expect(list.text == (try WarrenJSON.string(queries.list())) + "\n")
            let show = try await client.call(.get, "/v1/backups/\(fixture.ids[0])")
            #expect(show.text == (try WarrenJSON.string(queries.detail(id: fixture.ids[0]))) + "\n")
            let queues = try await client.call(.get, "/v1/backups/\(fixture.ids[0])/queues")
            #expect(queues.text == (try WarrenJSON.string(queries.detail(id: fixture.ids[0]).queues)) + "\n")
            let diff = try await client.call(.get, "/v1/diff?from=\(fixture.ids[0])&to=\(fixture.ids[1])")
            #expect(diff.status == 200)
            #expect(diff.text == (try WarrenJSON.string(DiffCalculator(catalog: fixture.repository.catalog).diff(from: fixture.ids[0], to: fixture.ids[1]))) + "\n")
            let health = try await client.call(.get, "/v1/health")
            #expect(health.object["status"] as? String == "ok")
            #expect(health.object["backups"] as? Int == 3)
        }
    }

    @Test func filtersAndCursorPagination() async throws {
        let fixture = try Fixture(backups: 7, nodes: ["rabbit@a", "rabbit@b"])
        try await fixture.app().test(.router) { client in
            var seen: [Int] = []
            var cursor: String?
            repeat {
                let page = try await client.call(.get, "/v1/backups?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == 200)
                let items = page.json as? [[String: Any]] ?? []
                #expect(items.count <= 3)
                seen += items.compactMap { $0["id"] as? Int }
                cursor = page.headers[HTTPField.Name("Warren-Next-Cursor")!]
            } while cursor != nil
            #expect(seen == fixture.ids.reversed().map { Int($0) })
            // Issue 14: the cursor is `SECONDS.ID`, so that the document describes it exactly:
            // every token matching its pattern is a position (here: after the newest, page 2).
            let second = fixture.ids[fixture.ids.count - 2]
            let newest = try fixture.service.queries.summary(id: fixture.ids.last!)
            let token = BackupCursor(takenAt: newest.takenAt, id: fixture.ids.last!).token
            #expect(token == "\(Int(Timestamp.parse(newest.takenAt)!.timeIntervalSince1970)).\(fixture.ids.last!)")
            let after = try await client.call(.get, "/v1/backups?limit=1&cursor=" + token)
            #expect((after.json as? [[String: Any]])?.first?["id"] as? Int == Int(second), "\(after.text)")
            let before = try await client.call(.get, "/v1/backups?cursor=0.1")
            #expect(before.status == 200 && (before.json as? [Any])?.isEmpty == true, "a well-formed position before every backup: \(before.text)")
            for bad in ["01.1", "1.0", "1", "1.2.3", "MTc5.1", "999999999999.1"] {
                #expect(try await client.call(.get, "/v1/backups?cursor=" + bad).errorCode == "invalid_cursor", "\(bad)")
            }

            let nodeB = try await client.call(.get, "/v1/backups?node=rabbit@b").json as? [[String: Any]] ?? []
            #expect(nodeB.count == 3 && nodeB.allSatisfy { $0["node"] as? String == "rabbit@b" })
            let unverified = try await client.call(.get, "/v1/backups?verdict=unverified").json as? [Any] ?? []
            #expect(unverified.count == 7)
            let viable = try await client.call(.get, "/v1/backups?verdict=viable").json as? [Any] ?? []
            #expect(viable.isEmpty)
            // taken_at: 1_790_000_000 + i h → since the 3rd hour keeps 4 of 7
            let since = Timestamp.format(Date(timeIntervalSince1970: 1_790_000_000 + 3 * 3600))
            let recent = try await client.call(.get, "/v1/backups?since=\(since)").json as? [Any] ?? []
            #expect(recent.count == 4)
            let until = try await client.call(.get, "/v1/backups?until=\(since)").json as? [Any] ?? []
            #expect(until.count == 4)
        }
    }

    @Test func badInputIsAClear4xx() async throws {
        let fixture = try Fixture(backups: 1)
        let id = fixture.ids[0]
        try await fixture.app().test(.router) { client in
            let cases: [(HTTPRequest.Method, String, String?, Int, String)] = [
                (.get, "/v1/backups/999999", nil, 404, "backup_not_found"),
                (.get, "/v1/backups/abc", nil, 400, "invalid_id"),
                (.get, "/v1/backups/..%2F1", nil, 400, "invalid_id"),
                (.get, "/v1/backups/-1", nil, 400, "invalid_id"),
                (.get, "/v1/backups/99999999999999999999999", nil, 400, "invalid_id"),
                (.get, "/v1/backups/../1", nil, 404, "not_found"),
                (.get, "/v1/jobs/12345", nil, 404, "job_not_found"),
                (.get, "/v1/nope", nil, 404, "not_found"),
                (.get, "/v1/backups?limit=0", nil, 400, "invalid_value"),
                (.get, "/v1/backups?limit=x", nil, 400, "invalid_value"),
                (.get, "/v1/backups?verdict=great", nil, 400, "invalid_value"),
                (.get, "/v1/backups?since=yesterday", nil, 400, "invalid_value"),
                (.get, "/v1/backups?cursor=%2E%2E", nil, 400, "invalid_cursor"),
                (.get, "/v1/backups?color=red", nil, 400, "unknown_parameter"),
                (.get, "/v1/diff?from=1", nil, 400, "invalid_id"),
                (.post, "/v1/backups", "{not json", 400, "malformed_json"),
                (.post, "/v1/backups", "[1,2]", 400, "invalid_body"),
                (.post, "/v1/backups", "", 400, "empty_body"),
                (.post, "/v1/backups", #"{"node": 5}"#, 400, "wrong_type"),
                (.post, "/v1/backups", #"{"node": "rabbit@x", "stop_app": "yes"}"#, 400, "wrong_type"),
                (.post, "/v1/backups", #"{"node": "rabbit@x", "pre_hook": "rm -rf /"}"#, 400, "unknown_field"),
                (.post, "/v1/backups", #"{"label": "x"}"#, 400, "missing_field"),
                (.post, "/v1/backups/\(id)/verify", #"{"full": 1}"#, 400, "wrong_type"),
                (.post, "/v1/backups/\(id)/verify", #"{"exclude_queues": [1]}"#, 400, "wrong_type"),
                (.post, "/v1/backups/999999/verify", nil, 404, "backup_not_found"),
                (.post, "/v1/restores", #"{"backup": \#(id), "node": "rabbit@x"}"#, 400, "confirm_required"),
                (.post, "/v1/restores", #"{"backup": \#(id), "node": "rabbit@x", "confirm": "true"}"#, 400, "wrong_type"),
                (.post, "/v1/restores", #"{"backup": "1", "node": "rabbit@x", "dry_run": true}"#, 400, "wrong_type"),
                (.post, "/v1/restores", #"{"backup": 999999, "node": "rabbit@x", "dry_run": true}"#, 404, "backup_not_found"),
                (.post, "/v1/prune", #"{"keep_last": 0}"#, 400, "invalid_value"),
                (.post, "/v1/prune", #"{"keep_within": "forever"}"#, 400, "invalid_value"),
                (.put, "/v1/policy", "{}", 400, "empty_policy"),
                (.put, "/v1/policy", #"{"keep_last": 2.5}"#, 400, "wrong_type"),
                (.put, "/v1/backups/\(id)/pin", #"{"note": ["a"]}"#, 400, "wrong_type"),
                (.put, "/v1/backups/999999/pin", nil, 404, "backup_not_found"),
                (.delete, "/v1/jobs/0", nil, 400, "invalid_id"),
                (.post, "/v1/jobs/0/cancel", nil, 400, "invalid_id"),
                (.post, "/v1/jobs/12345/cancel", nil, 404, "job_not_found"),
                (.patch, "/v1/health", nil, 405, "method_not_allowed"),
                (.delete, "/v1/backups/\(id)", nil, 405, "method_not_allowed"),
                (.post, "/v1/backups", #"{"backup": 1, "node": "rabbit@x", "label": "a\u0007b"}"#, 400, "unknown_field"),
                (.post, "/v1/restores", #"{"backup": \#(id), "node": "a\u0001", "dry_run": true}"#, 400, "invalid_argument"),
                // Issue 12 §3: duplicate keys, unmatched exclusions and lenient times.
                (.post, "/v1/restores", #"{"backup": \#(id), "node": "rabbit@x", "dry_run": true, "dry_run": false, "confirm": false}"#, 400, "duplicate_key"),
                (.post, "/v1/backups", #"{"node": "rabbit@a", "node": "rabbit@b"}"#, 400, "duplicate_key"),
                (.post, "/v1/backups/\(id)/verify", #"{"full": true, "full": false}"#, 400, "duplicate_key"),
                (.post, "/v1/backups/\(id)/verify", #"{"exclude_queues": ["ordres"]}"#, 409, "exclusion_unmatched"),
                (.post, "/v1/restores", #"{"backup": \#(id), "node": "rabbit@x", "dry_run": true, "exclude_vhosts": ["shop"]}"#, 409, "exclusion_unmatched"),
                (.post, "/v1/backups", #"{"node": "rabbit@a"} x"#, 400, "malformed_json"),
                // Issue 12 §1: the API face of restore --resume / --rollback.
                (.post, "/v1/restores/rabbit@x/resume", #"{"confirm": true}"#, 404, "no_interrupted_restore"),
                (.post, "/v1/restores/rabbit%40x/resume", #"{"dry_run": true}"#, 404, "no_interrupted_restore"),
                (.post, "/v1/restores/rabbit@x/resume", "{}", 400, "confirm_required"),
                (.post, "/v1/restores/rabbit@x/resume", "", 400, "empty_body"),
                (.post, "/v1/restores/rabbit@x/resume", #"{"confirm": "yes"}"#, 400, "wrong_type"),
                (.post, "/v1/restores/a%01/resume", #"{"confirm": true}"#, 400, "invalid_argument"),
                (.post, "/v1/restores/rabbit@x/rollback", #"{"confirm": true}"#, 404, "no_interrupted_restore"),
                (.post, "/v1/restores/rabbit@x/rollback", #"{"confirm": false}"#, 400, "confirm_required"),
                (.post, "/v1/restores/rabbit@x/rollback", #"{"confirm": true, "dry_run": true}"#, 400, "unknown_field"),
                (.get, "/v1/restores/rabbit@x/resume", nil, 405, "method_not_allowed"),
                (.get, "/v1/backups?since=2026-11-21xyz", nil, 400, "invalid_value"),
                (.get, "/v1/backups?since=2026-11-21T03:00:00", nil, 400, "invalid_value"),
                (.get, "/v1/backups?until=2026-11-21T03:00:00Zjunk", nil, 400, "invalid_value"),
            ]
            for (method, uri, body, status, code) in cases {
                let answer = try await client.call(method, uri, body: body)
                #expect(answer.status == status, "\(method) \(uri) \(body ?? ""): \(answer.status) \(answer.text)")
                #expect(answer.errorCode == code, "\(method) \(uri) \(body ?? ""): \(answer.text)")
                let error = answer.object["error"] as? [String: Any]
                #expect(error?["message"] is String && error?.keys.contains("details") == true, "\(uri): \(answer.text)")
            }
            let duplicate = try await client.call(.post, "/v1/restores", body: #"{"backup": \#(id), "node": "rabbit@x", "dry_run": true, "dry_run": false}"#)
            let error = duplicate.object["error"] as? [String: Any]
            #expect(error?["message"] as? String == "the body has the key 'dry_run' more than once: send each field once")
            #expect((error?["details"] as? [String: Any])?["key"] as? String == "dry_run")
            #expect((try await client.call(.get, "/v1/jobs").json as? [Any])?.isEmpty == true, "a refused body started a job")
            let unmatched = try await client.call(.post, "/v1/backups/\(id)/verify", body: #"{"exclude_queues": ["ordres"]}"#)
            #expect((unmatched.object["error"] as? [String: Any])?["message"] as? String
                    == "exclude_queues 'ordres' matches no queue of backup \(id) (its queues: 'orders'). A misspelt exclusion would restore exactly what it was meant to keep out: check the spelling (globs match the queue name only, in any vhost), or set \"allow_unmatched_exclusions\": true to go on without it")
            #expect(((unmatched.object["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "exclude_queues")
            let allowed = try await client.call(.post, "/v1/backups/\(id)/verify", body: #"{"exclude_queues": ["ordres"], "allow_unmatched_exclusions": true}"#)
            #expect(allowed.status == 202)
            let day = try await client.call(.get, "/v1/backups?since=2026-11-21")
            #expect(day.status == 200, "a bare date is still a valid since")
            let huge = "{\"note\": \"" + String(repeating: "x", count: 200_000) + "\"}"
            let big = try await client.call(.put, "/v1/backups/\(id)/pin", body: huge)
            #expect(big.status == 413 && big.errorCode == "body_too_large", "\(big.status) \(big.text.prefix(200))")
        }
    }

    @Test func jobsVerifyAndPruneDryRunInCLIShape() async throws {
        let fixture = try Fixture(backups: 3)
        try await fixture.app().test(.router) { client in
            let accepted = try await client.call(.post, "/v1/backups/\(fixture.ids[2])/verify", body: #"{"full": true}"#)
            #expect(accepted.status == 202)
            #expect(accepted.headers[.location] == "/v1/jobs/\(accepted.object["id"] as? Int ?? -1)")
            let done = try await client.finish(job: accepted.object["id"])
            #expect(done.object["state"] as? String == "succeeded", "\(done.text)")
            let result = done.object["result"] as? [String: Any] ?? [:]
            #expect(Set(result.keys) == ["backup", "verdict", "findings", "full", "target_version", "verified_at", "checked_objects", "checked_bytes", "what_if"]
                    || Set(result.keys) == ["backup", "verdict", "findings", "full", "verified_at", "checked_objects", "checked_bytes", "what_if"])
            #expect(result["what_if"] as? Bool == false)
            // The fixture is a live copy whose definitions hold a password hash: two warnings,
            // and, being registered (no broker survey), the note that transient losses are unknown.
            #expect(result["verdict"] as? String == "viable_with_warnings", "\(result["findings"] ?? "")")
            let codes = Set((result["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
            #expect(codes == ["live_copy", "password_hashes_present", "transient_messages_unknown"])
            let progress = done.object["progress"] as? [String: Any] ?? [:]
            #expect((progress["files_done"] as? Int ?? 0) > 0 && progress["files_done"] as? Int == progress["files_total"] as? Int)

            let prune = try await client.call(.post, "/v1/prune", body: #"{"dry_run": true, "keep_last": 1}"#)
            #expect(prune.status == 202)
            let pruned = try await client.finish(job: prune.object["id"])
            #expect(pruned.object["state"] as? String == "succeeded", "\(pruned.text)")
            let report = pruned.object["result"] as? [String: Any] ?? [:]
            #expect(report["dry_run"] as? Bool == true)
            #expect((report["backups"] as? [Any])?.count == 3)
            // nothing removed
            #expect((try await client.call(.get, "/v1/backups").json as? [Any])?.count == 3)

            let jobs = try await client.call(.get, "/v1/jobs").json as? [[String: Any]] ?? []
            #expect(jobs.count == 2)
            let pruneID = prune.object["id"] as? Int ?? 0
            let finished = try await client.call(.post, "/v1/jobs/\(pruneID)/cancel")
            #expect(finished.status == 409 && finished.errorCode == "job_finished")
            // DELETE forgets a finished job: it is gone from GET and from the list.
            let removed = try await client.call(.delete, "/v1/jobs/\(pruneID)")
            #expect(removed.status == 204 && removed.text.isEmpty, "\(removed.status) \(removed.text)")
            let gone = try await client.call(.get, "/v1/jobs/\(pruneID)")
            #expect(gone.status == 404 && gone.errorCode == "job_not_found")
            let again = try await client.call(.delete, "/v1/jobs/\(pruneID)")
            #expect(again.status == 404 && again.errorCode == "job_not_found")
            let left = try await client.call(.get, "/v1/jobs").json as? [[String: Any]] ?? []
            #expect(left.compactMap { $0["id"] as? Int } == [accepted.object["id"] as? Int ?? -1])
        }
    }

    @Test func pinAndPolicyWrites() async throws {
        let fixture = try Fixture(backups: 1)
        let id = fixture.ids[0]
        try await fixture.app().test(.router) { client in
            let pinned = try await client.call(.put, "/v1/backups/\(id)/pin", body: #"{"note": "keep for audit"}"#)
            #expect(pinned.status == 200 && pinned.object["pinned"] as? Bool == true && pinned.object["pin_note"] as? String == "keep for audit")
            let unpinned = try await client.call(.delete, "/v1/backups/\(id)/pin")
            #expect(unpinned.object["pinned"] as? Bool == false)
            let stored = try await client.call(.put, "/v1/policy", body: #"{"keep_last": 5, "keep_within": "14d"}"#)
            #expect(stored.status == 200, "\(stored.text)")
            let policies = try await client.call(.get, "/v1/policy")
            #expect(policies.text == (try WarrenJSON.string(PolicyStore(catalog: fixture.repository.catalog).list())) + "\n")
            let node = try await client.call(.put, "/v1/policy", body: #"{"node": "rabbit@a", "keep_daily": 7}"#)
            #expect(node.object["node"] as? String == "rabbit@a")
        }
    }

    @Test func waitingJobCanBeCancelled() async throws {
        let fixture = try Fixture(backups: 2)
        // Occupy the lock lane with a job that waits on a semaphore.
        let gate = DispatchSemaphore(value: 0)
        let blocker = try fixture.jobs.submit(kind: .prune, needsLock: true, node: nil, conflictKey: nil, request: .null, cancellable: false) { _ in
            gate.wait()
            return .null
        }
        try await fixture.app().test(.router) { client in
            let accepted = try await client.call(.post, "/v1/prune", body: #"{"keep_last": 1}"#)
            #expect(accepted.status == 202)
            #expect(accepted.object["state"] as? String == "waiting")
            let conflict = try await client.call(.post, "/v1/prune", body: #"{"keep_last": 1}"#)
            #expect(conflict.status == 409 && conflict.errorCode == "conflicting_job")
            let running = try await client.call(.delete, "/v1/jobs/\(blocker.id)")
            #expect(running.status == 409 && running.errorCode == "job_not_finished", "\(running.text)")
            let waiting = try await client.call(.delete, "/v1/jobs/\(accepted.object["id"] as? Int ?? 0)")
            #expect(waiting.status == 409 && waiting.errorCode == "job_not_finished", "\(waiting.text)")
            let cancel = try await client.call(.post, "/v1/jobs/\(accepted.object["id"] as? Int ?? 0)/cancel")
            #expect(cancel.status == 202 && cancel.object["state"] as? String == "cancelled")
            let stillThere = try await client.call(.get, "/v1/jobs/\(accepted.object["id"] as? Int ?? 0)")
            #expect(stillThere.status == 200 && stillThere.object["state"] as? String == "cancelled")
            gate.signal()
            _ = try await client.finish(job: NSNumber(value: blocker.id))
            #expect((try await client.call(.get, "/v1/backups").json as? [Any])?.count == 2)
        }
    }

    @Test func tokenRequiredWhenConfigured() async throws {
        let fixture = try Fixture(backups: 1)
        try await fixture.app(token: "s3cret-token-0123456789").test(.router) { client in
            let none = try await client.call(.get, "/v1/health")
            #expect(none.status == 401 && none.errorCode == "unauthorized")
            let wrong = try await client.call(.get, "/v1/backups", headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == 401)
            let missingRoute = try await client.call(.get, "/v1/nope")
            #expect(missingRoute.status == 401)
            let right = try await client.call(.get, "/v1/health", headers: [.authorization: "Bearer s3cret-token-0123456789"])
            #expect(right.status == 200)
        }
    }

    @Test func noPasswordHashInAnyAnswer() async throws {
        let fixture = try Fixture(backups: 2)
        try await fixture.app().test(.router) { client in
            let verify = try await client.call(.post, "/v1/backups/\(fixture.ids[0])/verify")
            _ = try await client.finish(job: verify.object["id"])
            for uri in ["/v1/backups", "/v1/backups/\(fixture.ids[0])", "/v1/backups/\(fixture.ids[0])/queues",
                        "/v1/diff?from=\(fixture.ids[0])&to=\(fixture.ids[1])", "/v1/jobs", "/v1/policy", "/v1/health"] {
                let answer = try await client.call(.get, uri)
                #expect(answer.status == 200, "\(uri)")
                #expect(!answer.text.contains(Fixture.passwordHash) && !answer.text.contains("password_hash\":\""), "\(uri)")
            }
        }
    }
}

@Suite struct MetricsTests {
    @Test func prometheusTextWithCatalogFiguresAndJobDurations() async throws {
        let fixture = try Fixture(backups: 2, nodes: ["rabbit@a", "rabbit@b"])
        try await fixture.app().test(.router) { client in
            let verify = try await client.call(.post, "/v1/backups/\(fixture.ids[1])/verify")
            _ = try await client.finish(job: verify.object["id"])
            // Issue 12 §3: what-if runs (a target, exclusions) never set the verdict the metric shows.
            for body in [#"{"target_version": "3.0.0"}"#, #"{"exclude_queues": ["orders"]}"#] {
                for backup in [fixture.ids[0], fixture.ids[1]] {
                    let whatIf = try await client.call(.post, "/v1/backups/\(backup)/verify", body: body)
                    let done = try await client.finish(job: whatIf.object["id"])
                    #expect((done.object["result"] as? [String: Any])?["what_if"] as? Bool == true, "\(done.text)")
                }
            }
            let answer = try await client.call(.get, "/v1/metrics")
            #expect(answer.status == 200)
            #expect(answer.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = answer.text
            #expect(text.contains(#"warren_last_backup_age_seconds{node="rabbit@a"}"#))
            #expect(text.contains(#"warren_last_verdict{node="rabbit@b",verdict="viable_with_warnings"} 1"#), "\(text)")
            #expect(text.contains(#"warren_last_verdict{node="rabbit@a",verdict="unverified"} 1"#))
            #expect(text.contains("warren_repository_bytes "))
            #expect(!text.contains(#"verdict="not_viable"} 1"#), "a what-if verdict reached the metric: \(text)")
            #expect(text.contains(#"warren_job_duration_seconds_count{kind="verify",state="succeeded"} 5"#), "\(text)")
            #expect(text.contains(#"warren_jobs_total{kind="verify",state="succeeded"} 5"#))
        }
    }
}
