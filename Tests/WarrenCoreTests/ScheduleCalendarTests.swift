import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// Issue 13: schedules at calendar times with jitter, their next run and history. The clock,
/// the time zone and the random jitter are the test's: nothing waits for wall time.
@Suite struct ScheduleCalendarTests {
    static let utc = TimeZone(identifier: "UTC")!
    /// Wednesday 2026-12-02 10:00:00 UTC.
    static let wednesday = Timestamp.parse("2026-12-02T10:00:00Z")!

    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func expressionsAreReadAndWrittenInOneForm() {
        let cases: [(String, String)] = [
            ("02:30", "02:30"), ("2:30", "02:30"), ("daily", "00:00"), ("weekly", "Mon 00:00"), ("hourly", "*:00"),
            ("*:15", "*:15"), ("mon..fri 02:30", "Mon..Fri 02:30"), ("Sat,Sun 04:00:15", "Sat,Sun 04:00:15"),
            ("Fri..Mon 04:00 UTC", "Mon,Fri..Sun 04:00 UTC"), ("*-*-* 02:30", "02:30"), ("Mon..Sun 02:30", "02:30"),
            ("Mon,Wed..Fri 23:59:59 Europe/Paris", "Mon,Wed..Fri 23:59:59 Europe/Paris"),
        ]
        for (given, written) in cases {
            #expect(CalendarSpec(given)?.text == written, "\(given)")
        }
        for bad in ["", "24:00", "02:60", "02:30:60", "Moon 02:30", "02:30 Mars/Phobos", "Mon Tue 02:30", "02", "02:30:00:00",
                    "*:*", "Mon..", "Mon,,Tue 02:30", "02:30 UTC UTC", "123:00", String(repeating: "Mon,", count: 40) + "Mon 02:30"] {
            #expect(CalendarSpec(bad) == nil, "\(bad)")
        }
    }

    @Test func nextSlotIsStrictlyAfterInTheRightZone() {
        func next(_ text: String, after: Date = Self.wednesday, zone: TimeZone = Self.utc) -> String {
            Timestamp.format(CalendarSpec(text)!.next(after: after, defaultZone: zone))
        }
        #expect(next("02:30") == "2026-12-03T02:30:00Z", "today's slot is past: tomorrow")
        #expect(next("11:00") == "2026-12-02T11:00:00Z")
        #expect(next("10:00") == "2026-12-03T10:00:00Z", "a slot at exactly now is not after now")
        #expect(next("Mon 02:30") == "2026-12-07T02:30:00Z")
        #expect(next("Sat,Sun 04:00") == "2026-12-05T04:00:00Z")
        #expect(next("Wed 09:00") == "2026-12-09T09:00:00Z", "this Wednesday's slot is past: next week's")
        #expect(next("*:15") == "2026-12-02T10:15:00Z")
        #expect(next("hourly") == "2026-12-02T11:00:00Z")
        #expect(next("02:30 Europe/Paris") == "2026-12-03T01:30:00Z", "the named zone (UTC+1 in December)")
        #expect(next("02:30", zone: TimeZone(identifier: "Asia/Tokyo")!) == "2026-12-02T17:30:00Z", "the service's zone (UTC+9)")
        #expect(next("23:59:59", after: Self.at("2026-12-31T23:59:59Z")) == "2027-01-01T23:59:59Z", "over the year's end")
    }

    @Test func requestsAreValidatedNamingTheField() throws {
        #expect(throws: WarrenError.invalidArgument(name: "every", reason: "give an interval (every, e.g. 6h) or a calendar time (at, e.g. 02:30)")) {
            try ScheduleRequest(node: "rabbit@a").validate()
        }
        #expect(throws: WarrenError.invalidArgument(name: "at", reason: "give an interval (every) or a calendar time (at), not both")) {
            try ScheduleRequest(node: "rabbit@a", every: "1d", at: "02:30").validate()
        }
        #expect(throws: WarrenError.invalidArgument(name: "at", reason: "'25:00' is not a calendar time such as 02:30, Mon..Fri 02:30, Sat,Sun 04:00 UTC, *:15, hourly, daily or weekly")) {
            try ScheduleRequest(node: "rabbit@a", at: "25:00").validate()
        }
        #expect(throws: WarrenError.invalidArgument(name: "every", reason: "'1x' is not an interval such as 30s, 15m, 6h, 1d or 1h30m (at most a year)")) {
            try ScheduleRequest(node: "rabbit@a", every: "1x").validate()
        }
        #expect(throws: WarrenError.invalidArgument(name: "jitter", reason: "'soon' is not a duration such as 30s, 15m or 1h")) {
            try ScheduleRequest(node: "rabbit@a", every: "1d", jitter: "soon").validate()
        }
        #expect(throws: WarrenError.invalidArgument(name: "node", reason: "must be 1 to 255 characters")) {
            try ScheduleRequest(node: "", every: "1d").validate()
        }
        // Node names count characters (as Erlang atoms and JSON Schema's maxLength do), not bytes.
        _ = try ScheduleRequest(node: String(repeating: "é", count: 255), every: "1d").validate()
        #expect(throws: WarrenError.invalidArgument(name: "node", reason: "must be 1 to 255 characters")) {
            try ScheduleRequest(node: String(repeating: "é", count: 256), every: "1d").validate()
        }
        let valid = try ScheduleRequest(node: "rabbit@a", at: "Mon..Fri 02:30", jitter: "15m").validate()
        #expect(valid == ScheduleRequest.Validated(timing: .calendar(CalendarSpec("Mon..Fri 02:30")!), jitterSeconds: 900))
    }

    @Test func nextRunCarriesTheJitterAndAdvancesPerSlot() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let store = ScheduleStore(catalog: repo.catalog, timeZone: Self.utc, randomDelay: { jitter in
            #expect(jitter == 600)
            return 90
        })
        let nightly = try store.add(ScheduleRequest(node: "rabbit@a", at: "02:30", jitter: "10m"), now: Self.wednesday)
        #expect(nightly.at == "02:30" && nightly.everySeconds == nil && nightly.jitterSeconds == 600)
        #expect(nightly.nextRunAt == "2026-12-03T02:31:30Z", "the slot plus 90 s of jitter")
        #expect(!nightly.isDue(at: Self.at("2026-12-03T02:31:29Z")))
        #expect(nightly.isDue(at: Self.at("2026-12-03T02:31:30Z")))
        // The run starts late (the service was busy): the next slot is the next night's.
        #expect(Timestamp.format(try store.advance(nightly, now: Self.at("2026-12-03T03:00:00Z"))) == "2026-12-04T02:31:30Z")
        #expect(try store.get(id: nightly.id).nextRunAt == "2026-12-04T02:31:30Z")

        let interval = try store.add(ScheduleRequest(node: "rabbit@b", every: "6h"), now: Self.wednesday)
        #expect(interval.nextRunAt == "2026-12-02T10:00:00Z" && interval.isDue(at: Self.wednesday), "an interval runs at once")
        try store.advance(interval, now: Self.wednesday)
        #expect(try store.get(id: interval.id).nextRunAt == "2026-12-02T16:00:00Z")

        // History: newest first, as many as asked for; the count of all.
        for (hour, outcome) in [(1, ScheduleOutcome.failed), (2, .succeeded), (3, .failed)] {
            try store.record(scheduleID: nightly.id, startedAt: Self.at("2026-12-0\(hour + 2)T02:31:30Z"),
                             finishedAt: Self.at("2026-12-0\(hour + 2)T02:40:00Z"), outcome: outcome,
                             backupID: outcome == .succeeded ? 7 : nil, verdict: outcome == .succeeded ? .viable : nil,
                             removed: outcome == .succeeded ? 1 : nil, error: outcome == .failed ? "node down" : nil)
        }
        let listed = try #require(try store.list(runs: 2).first { $0.id == nightly.id })
        #expect(listed.runCount == 3 && listed.lastOutcome == .failed && listed.lastRunAt == "2026-12-05T02:31:30Z")
        #expect(listed.runs.map(\.startedAt) == ["2026-12-05T02:31:30Z", "2026-12-04T02:31:30Z"])
        #expect(listed.runs[1].outcome == .succeeded && listed.runs[1].backupId == 7 && listed.runs[1].removed == 1)
        #expect(try store.get(id: nightly.id, runs: 0).runs.isEmpty)

        try store.remove(id: interval.id)
        #expect(throws: WarrenError.scheduleNotFound(id: interval.id)) { try store.remove(id: interval.id) }
        #expect(throws: WarrenError.scheduleNotFound(id: 99)) { try store.get(id: 99) }
    }

    /// Schedules made before migration 0032 have no stored next run: due `every` after the
    /// last run (once, after any downtime), or at once when never run, as before.
    @Test func schedulesWithoutAStoredNextRunKeepTheirIntervalRule() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let store = ScheduleStore(catalog: repo.catalog, timeZone: Self.utc)
        let schedule = try store.add(ScheduleRequest(node: "rabbit@a", every: "1m"), now: Self.wednesday)
        try repo.catalog.write { try $0.execute(sql: "UPDATE schedule SET next_run_at = NULL") }
        #expect(try store.get(id: schedule.id).isDue(at: Self.wednesday), "never run: due")
        try store.record(scheduleID: schedule.id, startedAt: Self.at("2026-12-02T09:00:00Z"), outcome: .succeeded, backupID: nil,
                         verdict: nil, removed: nil, error: nil)
        let after = try store.get(id: schedule.id)
        #expect(after.nextRunAt == "2026-12-02T09:01:00Z" && after.isDue(at: Self.wednesday), "an hour of missed slots: due, once")
        try store.advance(after, now: Self.wednesday)
        #expect(!(try store.get(id: schedule.id)).isDue(at: Self.wednesday.addingTimeInterval(59)))
    }
}
