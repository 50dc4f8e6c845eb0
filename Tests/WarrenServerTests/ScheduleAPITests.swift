import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WarrenCore
@testable import WarrenServer

/// Issue 13: schedules through the API (add, show, list with runs, remove), and the scheduler
/// on an injected clock: a due calendar schedule becomes a job, its next run moves to the next
/// slot plus its jitter, and the run lands in the history. Nothing waits for wall time.
@Suite struct ScheduleAPITests {
    static let utc = TimeZone(identifier: "UTC")!

    @Test func schedulesAreAddedShownAndRemovedThroughTheAPI() async throws {
        let fixture = try Fixture(backups: 0)
        try await fixture.app().test(.router) { client in
            let added = try await client.call(.post, "/v1/schedules", body: #"{"node": "rabbit@a", "at": "mon..fri 02:30 UTC", "jitter": "15m", "label": "nightly"}"#)
            #expect(added.status == 201, "\(added.text)")
            let id = try #require(added.object["id"] as? Int)
            #expect(added.headers[.location] == "/v1/schedules/\(id)")
            #expect(added.object["at"] as? String == "Mon..Fri 02:30 UTC" && added.object["jitter_seconds"] as? Int == 900)
            #expect(added.object["every_seconds"] is NSNull && (added.object["runs"] as? [Any])?.isEmpty == true)
            // The same JSON as the CLI's (`schedule list --json` is the store's list).
            let store = ScheduleStore(catalog: fixture.repository.catalog)
            #expect(try await client.call(.get, "/v1/schedules/\(id)").text == (try WarrenJSON.string(store.get(id: Int64(id)))) + "\n")
            #expect(try await client.call(.get, "/v1/schedules?runs=0").text == (try WarrenJSON.string(store.list(runs: 0))) + "\n")

            // Refusals name the body field; hooks are CLI-only.
            func refusal(_ body: String) async throws -> (code: String?, field: String?) {
                let answer = try await client.call(.post, "/v1/schedules", body: body)
                #expect(answer.status == 400, "\(body): \(answer.text)")
                let error = answer.object["error"] as? [String: Any]
                return (error?["code"] as? String, (error?["details"] as? [String: Any])?["field"] as? String)
            }
            #expect(try await refusal(#"{"node": "rabbit@a", "every": "1d", "at": "02:30"}"#) == ("invalid_argument", "at"))
            #expect(try await refusal(#"{"node": "rabbit@a", "at": "25:00"}"#) == ("invalid_argument", "at"))
            #expect(try await refusal(#"{"node": "rabbit@a"}"#) == ("invalid_argument", "every"))
            #expect(try await refusal(#"{"node": "rabbit@a", "every": "1d", "jitter": "soon"}"#) == ("invalid_argument", "jitter"))
            #expect(try await refusal(#"{"node": "rabbit@a", "every": "1d", "pre_hook": "rm -rf /"}"#).code == "unknown_field")
            #expect(try await client.call(.get, "/v1/schedules?runs=1001").errorCode == "invalid_value")
            #expect(try await client.call(.get, "/v1/schedules?limit=1").errorCode == "unknown_parameter")

            let removed = try await client.call(.delete, "/v1/schedules/\(id)")
            #expect(removed.status == 200 && removed.object["removed"] as? Int == id)
            let again = try await client.call(.delete, "/v1/schedules/\(id)")
            #expect(again.status == 404 && again.errorCode == "schedule_not_found", "\(again.text)")
            #expect(try await client.call(.get, "/v1/schedules/\(id)").status == 404)
        }
    }

    @Test func aDueCalendarScheduleRunsOnceAndMovesToItsNextSlot() async throws {
        let fixture = try Fixture(backups: 0)
        let wednesday = Timestamp.parse("2026-12-02T10:00:00Z")!
        let store = ScheduleStore(catalog: fixture.repository.catalog, timeZone: Self.utc, randomDelay: { _ in 42 })
        let schedule = try store.add(ScheduleRequest(node: "rabbit@nowhere", at: "Wed,Fri 11:00", jitter: "5m"), now: wednesday)
        #expect(schedule.nextRunAt == "2026-12-02T11:00:42Z")
        var dependencies = fixture.service
        dependencies.rabbitmqctl = "/bin/false"
        let scheduler = Scheduler(dependencies: dependencies, logger: Logger(label: "test"), timeZone: Self.utc, randomDelay: { _ in 7 })

        #expect(scheduler.runDue(at: Timestamp.parse("2026-12-02T11:00:41Z")!).isEmpty, "a second before its jittered time: not due")
        try await fixture.app().test(.router) { client in
            let jobs = scheduler.runDue(at: Timestamp.parse("2026-12-02T11:00:42Z")!)
            #expect(jobs.count == 1 && jobs.first?.kind == .scheduled)
            #expect(try store.get(id: schedule.id).nextRunAt == "2026-12-04T11:00:07Z", "Friday's slot plus a new jitter")
            #expect(scheduler.runDue(at: Timestamp.parse("2026-12-02T11:00:43Z")!).isEmpty, "not twice in one slot")
            // rabbitmqctl is /bin/false: the run fails, and its failure is the history.
            let finished = try await client.finish(job: jobs.first.map { NSNumber(value: $0.id) })
            #expect(finished.object["state"] as? String == "failed", "\(finished.text)")
            let listed = try #require((try await client.call(.get, "/v1/schedules").json as? [[String: Any]])?.first)
            #expect(listed["run_count"] as? Int == 1 && listed["last_outcome"] as? String == "failed", "\(listed)")
            let run = try #require((listed["runs"] as? [[String: Any]])?.first)
            #expect(run["outcome"] as? String == "failed" && (run["error"] as? String)?.isEmpty == false, "\(run)")
            #expect(listed["next_run_at"] as? String == "2026-12-04T11:00:07Z")
        }
    }
}
