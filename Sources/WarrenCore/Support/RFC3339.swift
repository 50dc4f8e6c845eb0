import Foundation

/// Strict RFC 3339 times (§5.6 `date-time`): `2026-11-21T03:00:00Z`,
/// `2026-11-21T04:00:00+01:00`, optionally with fractional seconds. Nothing else: no
/// missing zone, no space instead of `T`, no missing seconds, nothing after the zone. A
/// lenient parser silently moved `2026-11-21T03:00:00` and `2026-11-21xyz` to midnight UTC,
/// and with them backups between retention slots (issue 12 §3).
public enum RFC3339 {
    /// What is wrong with a time, as a predicate: "'TEXT' <description>".
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    public static let example = "2026-11-21T03:00:00Z or 2026-11-21T04:00:00+01:00"

    /// Parses a full `date-time` with its zone.
    public static func parse(_ text: String) throws(Problem) -> Date {
        var scanner = Scanner(Array(text.utf8))
        let day = try scanner.fullDate()
        guard !scanner.atEnd else {
            throw Problem("is a date without a time and zone; give both, e.g. \(day.text)T00:00:00Z")
        }
        let separator = scanner.next()
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") else {
            if separator == UInt8(ascii: " ") { throw Problem("separates date and time with a space; RFC 3339 needs a 'T', e.g. \(example)") }
            throw Problem("has '\(scanner.rest(from: scanner.position - 1))' after the date, where 'T' and a time belong; expected e.g. \(example)")
        }
        let hour = try scanner.number(2, "hour", 0...23)
        try scanner.expect(UInt8(ascii: ":"), "':' after the hour")
        let minute = try scanner.number(2, "minute", 0...59)
        guard scanner.peek == UInt8(ascii: ":") else { throw Problem("has no seconds; give HH:MM:SS, e.g. \(example)") }
        scanner.position += 1
        let second = try scanner.number(2, "second", 0...60)
        guard second < 60 else { throw Problem("names a leap second (:60), which the catalog cannot hold; use :59") }
        var fraction = 0.0
        if scanner.peek == UInt8(ascii: ".") {
            scanner.position += 1
            let start = scanner.position
            while let byte = scanner.peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { scanner.position += 1 }
            guard scanner.position > start else { throw Problem("has a '.' after the seconds without digits") }
            fraction = Double("0." + scanner.rest(from: start, to: scanner.position)) ?? 0
        }
        guard let zone = scanner.peek else {
            throw Problem("has no time zone; add Z (UTC) or an offset such as +01:00, e.g. \(example)")
        }
        var offsetSeconds = 0
        switch zone {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            scanner.position += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            scanner.position += 1
            let hours = try scanner.number(2, "zone hour", 0...23)
            try scanner.expect(UInt8(ascii: ":"), "':' in the zone offset (+HH:MM)")
            let minutes = try scanner.number(2, "zone minute", 0...59)
            offsetSeconds = (hours * 3600 + minutes * 60) * (zone == UInt8(ascii: "-") ? -1 : 1)
        default:
            throw Problem("has '\(scanner.rest(from: scanner.position))' where the time zone belongs; add Z (UTC) or an offset such as +01:00")
        }
        guard scanner.atEnd else {
            throw Problem("has '\(scanner.rest(from: scanner.position))' after the time zone; nothing may follow it")
        }
        let seconds = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Parses a bare `full-date` (`2026-11-21`) as midnight UTC; nothing may follow it.
    public static func parseFullDate(_ text: String) throws(Problem) -> Date {
        var scanner = Scanner(Array(text.utf8))
        let day = try scanner.fullDate()
        guard scanner.atEnd else { throw Problem("has '\(scanner.rest(from: scanner.position))' after the date") }
        return Date(timeIntervalSince1970: Double(day.daysSinceEpoch * 86_400))
    }

    struct Day {
        var text: String
        var daysSinceEpoch: Int
    }

    struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { position >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[position] }

        mutating func next() -> UInt8? {
            defer { position += 1 }
            return peek
        }

        func rest(from start: Int, to end: Int? = nil) -> String {
            String(decoding: bytes[min(start, bytes.count)..<min(end ?? bytes.count, bytes.count)], as: UTF8.self)
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(Problem) {
            guard peek == byte else { throw Problem("lacks \(what); expected e.g. \(RFC3339.example)") }
            position += 1
        }

        mutating func number(_ digits: Int, _ what: String, _ range: ClosedRange<Int>) throws(Problem) -> Int {
            var value = 0
            for _ in 0..<digits {
                guard let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    throw Problem("is not of the form YYYY-MM-DDTHH:MM:SSZ (the \(what) needs \(digits) digits); expected e.g. \(RFC3339.example)")
                }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                position += 1
            }
            guard range.contains(value) else { throw Problem("has \(what) \(value), outside \(range.lowerBound)–\(range.upperBound)") }
            return value
        }

        mutating func fullDate() throws(Problem) -> Day {
            let year = try number(4, "year", 0...9999)
            try expect(UInt8(ascii: "-"), "'-' after the year")
            let month = try number(2, "month", 1...12)
            try expect(UInt8(ascii: "-"), "'-' after the month")
            let day = try number(2, "day", 1...31)
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            guard day <= days else { throw Problem("names day \(day) of a month that has \(days) days") }
            return Day(text: rest(from: 0, to: position), daysSinceEpoch: Self.daysFromCivil(year, month, day))
        }

        /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
        static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
            let year = m <= 2 ? y - 1 : y
            let era = (year >= 0 ? year : year - 399) / 400
            let yoe = year - era * 400
            let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return era * 146_097 + doe - 719_468
        }
    }
}
