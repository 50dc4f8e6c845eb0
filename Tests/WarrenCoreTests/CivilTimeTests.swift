import Foundation
import Testing
@testable import WarrenCore

/// ``CivilTime`` stands in for `ISO8601DateFormatter` on Warren's own timestamps: it must give
/// the formatter's answer, to the byte and to the second, wherever it answers at all.
@Suite struct CivilTimeTests {
    static func formatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }

    /// A fixed-seed generator: the same 50,000 instants on every run.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func formatAndParseAgreeWithTheFormatterOnRandomInstants() throws {
        let formatter = Self.formatter()
        var random = SplitMix64(state: 17)
        // Fractions just below a second and leap days, then random instants up to 9999.
        var instants: [Double] = [0, 0.4994, 0.4995, 0.9994, 0.9995, 0.999_999, 951_782_399.9996, 1_709_164_800, 4_107_542_399]
        for _ in 0..<50_000 { instants.append(Double.random(in: 0..<253_402_300_799, using: &random)) }
        for t in instants {
            let date = Date(timeIntervalSince1970: t)
            let expected = formatter.string(from: date)
            #expect(Timestamp.format(date) == expected, "format of \(t)")
            #expect(CivilTime.parse(expected) == formatter.date(from: expected), "parse of \(expected)")
        }
    }

    @Test func whatItDoesNotKnowIsLeftToTheFormatter() throws {
        // The formatter rolls these over (30 February is 1 March; 24:00 is the next day).
        for text in ["2024-02-30T00:00:00Z", "2023-02-29T10:00:00Z", "2024-01-01T24:00:00Z", "1969-12-31T23:59:59Z",
                     "2024-01-01T00:00:00+02:00", "2024-01-01T00:00:00.250Z", "2024-01-01", "2024-1-01T00:00:00Z", "garbage"] {
            #expect(CivilTime.parse(text) == nil, "\(text)")
            #expect(Timestamp.parse(text) == Self.formatterParse(text), "\(text)")
        }
        #expect(Timestamp.parse("2024-02-30T00:00:00Z") == Timestamp.parse("2024-03-01T00:00:00Z"))
        #expect(Timestamp.parse("2024-01-01") == Timestamp.parse("2024-01-01T00:00:00Z"))
    }

    /// What Timestamp.parse did before the arithmetic: the formatters alone.
    static func formatterParse(_ text: String) -> Date? {
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
