import Foundation

/// `YYYY-MM-DDTHH:MM:SSZ` to and from a `Date` by calendar arithmetic (Howard Hinnant's
/// days-from-civil algorithms), giving exactly what `ISO8601DateFormatter` gives with
/// `.withInternetDateTime` in UTC (TimestampTests compares the two on random dates), for
/// years 1970 to 9999. Anything else returns nil, and ``Timestamp`` asks the formatter.
enum CivilTime {
    /// The time, rounded to the millisecond and then truncated to the second, as the
    /// formatter does; nil outside 1970...9999.
    static func format(_ date: Date) -> String? {
        let t = date.timeIntervalSince1970
        guard t >= 0, t < 253_402_300_799 else { return nil }
        let seconds = Int((t * 1000).rounded()) / 1000
        let (year, month, day) = civil(days: seconds / 86400)
        let rest = seconds % 86400
        var text = ""
        text.reserveCapacity(20)
        func append(_ value: Int, width: Int) {
            let digits = String(value)
            text += String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        append(year, width: 4); text += "-"; append(month, width: 2); text += "-"; append(day, width: 2); text += "T"
        append(rest / 3600, width: 2); text += ":"; append(rest / 60 % 60, width: 2); text += ":"; append(rest % 60, width: 2)
        return text + "Z"
    }

    /// nil unless `text` is exactly `YYYY-MM-DDTHH:MM:SSZ` with a real date and time from
    /// 1970 on (the formatter rolls 30 February over to March: that case is left to it).
    static func parse(_ text: String) -> Date? {
        text.utf8.withContiguousStorageIfAvailable { parse(bytes: $0) } ?? nil
    }

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<(start + length) {
                let c = b[index]
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(c - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              year >= 1970, (1...12).contains(month), day >= 1, day <= daysIn(year: year, month: month),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86400 + hour * 3600 + minute * 60 + second))
    }

    private static func daysIn(year: Int, month: Int) -> Int {
        if month == 2 { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28 }
        return [4, 6, 9, 11].contains(month) ? 30 : 31
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01.
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (month <= 2 ? yearOfEra + era * 400 + 1 : yearOfEra + era * 400, month, day)
    }
}
