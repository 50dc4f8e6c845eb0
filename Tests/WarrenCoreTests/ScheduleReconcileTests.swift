import Foundation
import Testing
@testable import WarrenCore

/// Issue 13: schedules declared in the configuration file. `warren serve` makes the catalog's
/// file schedules match the file at start; an unchanged one keeps its next run and history,
/// schedules made by `schedule add` are never touched, and `schedule remove` refuses a file one.
@Suite struct ScheduleReconcileTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let wednesday = Timestamp.parse("2026-12-02T10:00:00Z")!
    static let path = "/etc/warren/warren.conf"

    static func declared(_ request: ScheduleRequest, line: Int) -> ConfiguredSchedule {
        ConfiguredSchedule(request: request, path: path, line: line)
    }

    @Test func theFileSchedulesFollowTheFileAndKeepTheirHistory() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let store = ScheduleStore(catalog: repo.catalog, timeZone: Self.utc, randomDelay: { _ in 0 })
        let manual = try store.add(ScheduleRequest(node: "rabbit@a", every: "1h"), now: Self.wednesday)
        let nightly = ScheduleRequest(node: "rabbit@a", at: "02:30", stopApp: true)
        let often = ScheduleRequest(node: "rabbit@b", every: "6h")

        let first = try store.reconcile([Self.declared(nightly, line: 4), Self.declared(often, line: 8)], now: Self.wednesday)
        #expect(first.kept.isEmpty && first.removed.isEmpty && first.added.count == 2)
        let made = try store.list(runs: 0)
        #expect(made.map(\.origin) == [nil, "\(Self.path):4", "\(Self.path):8"])
        let nightlyID = try #require(made.first { $0.at == "02:30" }?.id)
        #expect(made.first { $0.id == nightlyID }?.stopApp == true && made.first { $0.id == nightlyID }?.nextRunAt == "2026-12-03T02:30:00Z")
        try store.record(scheduleID: nightlyID, startedAt: Self.wednesday, outcome: .succeeded, backupID: 3, verdict: .viable, removed: 0, error: nil)
        try store.advance(try store.get(id: nightlyID), now: Self.wednesday.addingTimeInterval(86400))

        // A restart with the same file (one section moved down a line): nothing is re-made.
        let again = try store.reconcile([Self.declared(nightly, line: 5), Self.declared(often, line: 8)], now: Self.wednesday.addingTimeInterval(90000))
        #expect(again.added.isEmpty && again.removed.isEmpty && Set(again.kept) == Set(made.compactMap { $0.origin == nil ? nil : $0.id }))
        let kept = try store.get(id: nightlyID)
        #expect(kept.runCount == 1 && kept.lastBackupId == 3 && kept.nextRunAt == "2026-12-04T02:30:00Z" && kept.origin == "\(Self.path):5")

        // rabbit@b's section changes and rabbit@a's goes: the changed one is made anew, the gone one removed.
        let changed = try store.reconcile([Self.declared(ScheduleRequest(node: "rabbit@b", every: "12h"), line: 8)], now: Self.wednesday)
        #expect(changed.kept.isEmpty && changed.added.count == 1 && Set(changed.removed) == Set(made.compactMap { $0.origin == nil ? nil : $0.id }))
        let after = try store.list(runs: 0)
        #expect(after.map(\.id).first == manual.id && after.count == 2)
        #expect(after.last?.everySeconds == 43200 && after.last?.origin == "\(Self.path):8")

        // The file's schedule cannot be removed by hand; the manual one can.
        let fileID = try #require(after.last?.id)
        #expect(throws: WarrenError.invalidArgument(name: "id", reason: "schedule \(fileID) is declared in the configuration file (\(Self.path):8); remove it there and restart warren serve")) {
            try store.remove(id: fileID)
        }
        try store.remove(id: manual.id)
        // No file at all: every file schedule goes, nothing else is there.
        #expect(try store.reconcile([]).removed == [fileID])
        #expect(try store.list().isEmpty)
    }
}
