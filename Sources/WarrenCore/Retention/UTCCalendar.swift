import Foundation

/// Calendar arithmetic in UTC on whole seconds, without Foundation formatters (retention
/// plans look at every backup of a catalog; `ISO8601DateFormatter` per row is too slow).
/// Dates are proleptic Gregorian; weeks are ISO 8601 (Monday first, week 1 holds the
/// year's first Thursday).
enum UTCCalendar {
    struct Fields: Equatable {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    static func fields(_ date: Date) -> Fields {
        let total = seconds(date)
        let days = floorDiv(total, 86_400)
        let rest = Int(total - days * 86_400)
        let (y, m, d) = civil(fromDays: days)
        return Fields(year: y, month: m, day: d, hour: rest / 3600, minute: rest / 60 % 60, second: rest % 60)
    }

    /// Days since 1970-01-01 (negative before).
    static func days(_ date: Date) -> Int64 { floorDiv(seconds(date), 86_400) }

    /// Hours since 1970-01-01T00Z.
    static func hours(_ date: Date) -> Int64 { floorDiv(seconds(date), 3600) }

    /// The ISO 8601 week-numbering year and week (1...53).
    static func isoWeek(_ date: Date) -> (year: Int, week: Int) {
        let d = days(date)
        let weekday = Int(floorMod(d + 3, 7)) + 1            // 1970-01-01 was a Thursday (4); Monday = 1
        let thursday = d - Int64(weekday - 4)                 // the Thursday of the same ISO week
        let (year, _, _) = civil(fromDays: thursday)
        let dayOfYear = thursday - daysFromCivil(year: year, month: 1, day: 1)
        return (year, Int(dayOfYear / 7) + 1)
    }

    /// `2026-11-21T19:27:13Z`, the catalog's format.
    static func format(_ date: Date) -> String {
        let f = fields(date)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        let year = String(f.year)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(f.month))-\(two(f.day))T\(two(f.hour)):\(two(f.minute)):\(two(f.second))Z"
    }

    /// Parses the catalog's own format quickly; anything else goes through ``Timestamp/parse(_:)``.
    static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z") else {
            return Timestamp.parse(text)
        }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        guard let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10), let h = number(11..<13),
              let mi = number(14..<16), let s = number(17..<19), (1...12).contains(mo), (1...31).contains(d),
              h < 24, mi < 60, s < 61 else { return Timestamp.parse(text) }
        let days = daysFromCivil(year: y, month: mo, day: d)
        return Date(timeIntervalSince1970: Double(days * 86_400 + Int64(h * 3600 + mi * 60 + s)))
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}
