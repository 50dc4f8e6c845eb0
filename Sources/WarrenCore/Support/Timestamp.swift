import Foundation

/// Timestamps in the catalog and in output: ISO-8601 in UTC with second precision
/// (`2026-11-21T19:27:13Z`), which sorts as text.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        if let fast = CivilTime.format(date) { return fast }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Accepts `2026-11-21T19:27:13Z`, an offset instead of `Z`, fractional seconds, or a
    /// bare date (`2026-11-21`, midnight UTC). Lenient (it ignores what follows a date), so
    /// only for times Warren wrote itself; input from users goes through ``RFC3339``.
    public static func parse(_ text: String) -> Date? {
        // Warren's own form, by arithmetic: a formatter takes ~100 µs per call, which was a
        // fifth of `GET /v1/backups` (its cursor) and most of a retention plan.
        if let fast = CivilTime.parse(text) { return fast }
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = TimeZone(identifier: "UTC")
        return day.date(from: text)
    }
}
