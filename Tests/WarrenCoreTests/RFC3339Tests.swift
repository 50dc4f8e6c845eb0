import Foundation
import Testing
@testable import WarrenCore

/// `--taken-at` is strict RFC 3339 with a zone (issue 12 §3): each of these used to be
/// stored as 2026-11-21T00:00:00Z.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-11-21T03:00:00Z", "2026-11-21T03:00:00Z"),
        ("2026-11-21t03:00:00z", "2026-11-21T03:00:00Z"),
        ("2026-11-21T04:00:00+01:00", "2026-11-21T03:00:00Z"),
        ("2026-11-20T22:30:00-04:30", "2026-11-21T03:00:00Z"),
        ("2026-11-21T03:00:00.999Z", "2026-11-21T03:00:00Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("2000-03-01T00:00:00+14:00", "2000-02-29T10:00:00Z"),
    ])
    func acceptsRFC3339WithAZone(text: String, stored: String) throws {
        #expect(Timestamp.format(try RFC3339.parse(text)) == stored)
    }

    @Test(arguments: [
        ("2026-11-21T03:00:00", "has no time zone"),
        ("2026-11-21 03:00", "separates date and time with a space"),
        ("2026-11-21 03:00:00Z", "separates date and time with a space"),
        ("2026-11-21xyz", "has 'xyz' after the date"),
        ("2026-11-21", "is a date without a time and zone"),
        ("2026-11-21T03:00:00Zjunk", "has 'junk' after the time zone"),
        ("2026-11-21T03:00:00+01:00 ", "has ' ' after the time zone"),
        ("2026-11-21T03:00Z", "has no seconds"),
        ("2026-11-21T03:00:00+0100", "':' in the zone offset"),
        ("2026-11-21T03:00:00 UTC", "where the time zone belongs"),
        ("2026-02-30T00:00:00Z", "names day 30 of a month that has 28 days"),
        ("2025-02-29T00:00:00Z", "names day 29 of a month that has 28 days"),
        ("2026-13-01T00:00:00Z", "has month 13"),
        ("2026-11-21T24:00:00Z", "has hour 24"),
        ("2026-11-21T23:59:60Z", "leap second"),
        ("26-11-21T03:00:00Z", "the year needs 4 digits"),
        ("2026-11-21T03:00:00.Z", "without digits"),
        ("", "the year needs 4 digits"),
    ])
    func refusesEverythingElseSayingWhy(text: String, fragment: String) {
        do {
            let date = try RFC3339.parse(text)
            Issue.record("accepted \(text.debugDescription) as \(Timestamp.format(date))")
        } catch {
            #expect(error.description.contains(fragment), "\(text.debugDescription): \(error)")
        }
    }

    @Test func bareDatesOnlyWhereADateIsAsked() throws {
        #expect(Timestamp.format(try RFC3339.parseFullDate("2026-11-21")) == "2026-11-21T00:00:00Z")
        #expect(throws: RFC3339.Problem("has 'xyz' after the date")) { try RFC3339.parseFullDate("2026-11-21xyz") }
    }
}
