import Foundation
import Testing
@testable import WarrenCore

/// The calendar arithmetic under the retention rules, checked against Foundation's ISO 8601
/// calendar, and the `--keep-within` duration syntax.
@Suite struct RetentionCalendarTests {
    @Test func isoWeeksAtYearBoundaries() {
        let cases: [(String, Int, Int)] = [
            ("2020-12-31T12:00:00Z", 2020, 53), ("2021-01-03T23:59:59Z", 2020, 53), ("2021-01-04T00:00:00Z", 2021, 1),
            ("2024-12-29T12:00:00Z", 2024, 52), ("2024-12-30T00:00:00Z", 2025, 1), ("2025-12-28T00:00:00Z", 2025, 52),
            ("2025-12-29T00:00:00Z", 2026, 1), ("2026-01-01T00:00:00Z", 2026, 1), ("2027-01-03T00:00:00Z", 2026, 53),
        ]
        for (time, year, week) in cases {
            let iso = UTCCalendar.isoWeek(Timestamp.parse(time)!)
            #expect(iso.year == year && iso.week == week, "\(time): got \(iso.year)-W\(iso.week)")
        }
    }

    @Test func agreesWithFoundationOverFiveHundredYears() {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            // 1800 … 2300
            let seconds = Double(Int64.random(in: -5_364_662_400...10_413_792_000, using: &generator))
            let date = Date(timeIntervalSince1970: seconds)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .yearForWeekOfYear, .weekOfYear], from: date)
            let f = UTCCalendar.fields(date)
            let expected = UTCCalendar.Fields(year: c.year!, month: c.month!, day: c.day!, hour: c.hour!, minute: c.minute!, second: c.second!)
            #expect(f == expected, "\(date)")
            let week = UTCCalendar.isoWeek(date)
            #expect(week.year == c.yearForWeekOfYear! && week.week == c.weekOfYear!, "\(date)")
            #expect(UTCCalendar.parse(UTCCalendar.format(date)) == date)
            #expect(UTCCalendar.format(date) == Timestamp.format(date))
        }
    }

    @Test func durationsParseInResticSyntax() {
        #expect(RetentionDuration("14d") == RetentionDuration(days: 14))
        #expect(RetentionDuration("2y5m7d3h") == RetentionDuration(years: 2, months: 5, days: 7, hours: 3))
        #expect(RetentionDuration("2w")?.description == "2w")
        #expect(RetentionDuration("1y6m")?.description == "1y6m")
        #expect(RetentionDuration("036h")?.description == "36h")
        for bad in ["", "0d", "d", "14", "5x", "1d2y", "1d1d", "-1d", "1.5d", "1 d", "9999999d"] {
            #expect(RetentionDuration(bad) == nil, "'\(bad)' must be refused")
        }
    }

    @Test func durationsSubtractCalendarUnitsInUTC() {
        let newest = Timestamp.parse("2024-03-31T10:00:00Z")!
        #expect(RetentionDuration("1m")!.cutoff(before: newest) == Timestamp.parse("2024-02-29T10:00:00Z"))
        #expect(RetentionDuration("1y")!.cutoff(before: newest) == Timestamp.parse("2023-03-31T10:00:00Z"))
        #expect(RetentionDuration("1w1d12h")!.cutoff(before: newest) == Timestamp.parse("2024-03-22T22:00:00Z"))
    }

    @Test func policiesEncodeEveryKeyAndValidateCounts() throws {
        let json = try WarrenJSON.string(RetentionPolicy(keepDaily: 7, keepWithin: RetentionDuration("14d")))
        #expect(json.contains("\"keep_daily\" : 7") && json.contains("\"keep_within\" : \"14d\"") && json.contains("\"keep_last\" : null"))
        #expect(RetentionPolicy().isEmpty && !RetentionPolicy(keepYearly: 1).isEmpty)
        #expect(throws: WarrenError.invalidArgument(name: "keep_last", reason: "must be at least 1 (got 0)")) { try RetentionPolicy(keepLast: 0).validate() }
        #expect(throws: WarrenError.invalidArgument(name: "keep_weekly", reason: "must be at least 1 (got -2)")) { try RetentionPolicy(keepWeekly: -2).validate() }
        #expect(RetentionPolicy(keepLast: 3, keepDaily: 7, keepWithin: RetentionDuration("2w")).summary == "last 3, daily 7, within 2w")
    }
}

extension RetentionDuration {
    init(years: Int = 0, months: Int = 0, weeks: Int = 0, days: Int = 0, hours: Int = 0) {
        self.init("1h")!
        self.years = years
        self.months = months
        self.weeks = weeks
        self.days = days
        self.hours = hours
    }
}
