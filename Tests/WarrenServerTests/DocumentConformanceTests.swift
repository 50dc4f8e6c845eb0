import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WarrenCore
@testable import WarrenServer

/// Real answers of every kind, with real data (backups, a diff, pins, a policy, a schedule,
/// verify, prune and failed jobs, errors), checked against docs/openapi.json's closed
/// schemas: the document names every field the code writes, and nothing else.
@Suite struct DocumentConformanceTests {
    static func document() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any] ?? [:]
    }

    @Test func everyAnswerConformsToItsSchema() async throws {
        let fixture = try Fixture(backups: 3)
        let (a, b) = (fixture.ids[0], fixture.ids[1])
        let schedules = ScheduleStore(catalog: fixture.repository.catalog)
        let hourly = try schedules.add(ScheduleRequest(node: "rabbit@a", every: "1h"))
        try schedules.record(scheduleID: hourly.id, startedAt: Date(), outcome: .failed, backupID: nil, verdict: nil, removed: nil, error: "x")
        try await fixture.app(rabbitmqctl: "/bin/false").test(.router) { client in
            let validator = SchemaValidator(document: try Self.document())
            var checked: [(String, String)] = []
            func expect(_ answer: Answer, _ schema: String, _ what: String, array: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
                let value = try StrictJSON.parse(Array(answer.text.utf8))
                let problems: [String]
                if array, case let .array(items) = value {
                    #expect(!items.isEmpty, "\(what): no element to check", sourceLocation: sourceLocation)
                    problems = items.flatMap { validator.check($0, against: schema) }
                } else {
                    problems = validator.check(value, against: schema)
                }
                #expect(problems.isEmpty, "\(what) vs \(schema): \(problems.prefix(10))", sourceLocation: sourceLocation)
                checked.append((what, schema))
            }
            let pinned = try await client.call(.put, "/v1/backups/\(a)/pin", body: #"{"note": "audit"}"#)
            try expect(pinned, "BackupSummary", "PUT pin")
            try expect(try await client.call(.get, "/v1/health"), "Health", "GET health")
            try expect(try await client.call(.get, "/v1/backups"), "BackupSummary", "GET backups", array: true)
            try expect(try await client.call(.get, "/v1/backups/\(a)"), "BackupDetail", "GET backup")
            try expect(try await client.call(.get, "/v1/backups/\(a)/queues"), "Queue", "GET queues", array: true)
            try expect(try await client.call(.get, "/v1/diff?from=\(a)&to=\(b)"), "BackupDiff", "GET diff")
            try expect(try await client.call(.put, "/v1/policy", body: #"{"keep_last": 2, "keep_within": "14d"}"#), "StoredPolicy", "PUT policy")
            try expect(try await client.call(.get, "/v1/policy"), "StoredPolicy", "GET policy", array: true)
            try expect(try await client.call(.get, "/v1/schedules"), "Schedule", "GET schedules", array: true)
            let added = try await client.call(.post, "/v1/schedules", body: #"{"node": "rabbit@a", "at": "Mon..Fri 02:30 UTC", "jitter": "10m"}"#)
            #expect(added.status == 201, "\(added.text)")
            try expect(added, "Schedule", "POST schedule")
            try expect(try await client.call(.get, "/v1/schedules/\(hourly.id)?runs=3"), "Schedule", "GET schedule")
            try expect(try await client.call(.delete, "/v1/schedules/\(added.object["id"] as? Int ?? 0)"), "ScheduleRemoved", "DELETE schedule")
            try expect(try await client.call(.get, "/v1/schedules/999"), "Error", "GET schedule 404")

            let verify = try await client.call(.post, "/v1/backups/\(b)/verify", body: #"{"full": true, "target_version": "3.13.7"}"#)
            try expect(verify, "Job", "POST verify")
            let verified = try await client.finish(job: verify.object["id"])
            #expect(verified.object["state"] as? String == "succeeded")
            try expect(verified, "Job", "verify job")
            let prune = try await client.call(.post, "/v1/prune", body: #"{"dry_run": true}"#)
            let pruned = try await client.finish(job: prune.object["id"])
            #expect(pruned.object["state"] as? String == "succeeded")
            try expect(pruned, "Job", "prune job")
            // rabbitmqctl is /bin/false: the backup job fails, with its error.
            var failedBody = #"{"node": "rabbit@nowhere"}"#
            let backup = try await client.call(.post, "/v1/backups", body: failedBody)
            let failed = try await client.finish(job: backup.object["id"])
            #expect(failed.object["state"] as? String == "failed", "\(failed.text)")
            try expect(failed, "Job", "failed backup job")
            try expect(try await client.call(.get, "/v1/jobs"), "Job", "GET jobs", array: true)
            failedBody = #"{"node": 5}"#
            try expect(try await client.call(.post, "/v1/backups", body: failedBody), "Error", "400")
            try expect(try await client.call(.get, "/v1/backups/424242"), "Error", "404")
            try expect(try await client.call(.delete, "/v1/backups/\(a)"), "Error", "405")
            #expect(checked.count == 21)
            // The checker is not vacuous: a missing key, an extra key and a wrong type are caught.
            #expect(validator.check(.object(["status": .string("ok")]), against: "Health").count == 5)
            #expect(!validator.check(.object(["status": .string("ok"), "repository": .string("r"), "pid": .integer(1), "backups": .integer(0),
                                              "jobs_running": .integer(0), "jobs_waiting": .string("0"), "extra": .null]), against: "Health").isEmpty)
        }
    }
}
