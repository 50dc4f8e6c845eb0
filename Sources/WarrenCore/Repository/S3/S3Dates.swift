import Foundation

/// The two date formats S3 answers with: ISO 8601 in listings (`LastModified`,
/// `2026-12-02T17:50:26.000Z`) and RFC 1123 in headers (`Date`, `Last-Modified`,
/// `Wed, 02 Dec 2026 17:50:26 GMT`).
enum S3Dates {
    /// `2026-12-02T17:50:26.000Z`, with or without fractional seconds; nil when unreadable.
    static func parseISO8601(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        return plain.date(from: text)
    }

    /// `Wed, 02 Dec 2026 17:50:26 GMT`; nil when unreadable.
    static func parseHTTP(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
