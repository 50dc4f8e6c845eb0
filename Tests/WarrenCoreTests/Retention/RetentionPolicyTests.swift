import Foundation
import Testing
@testable import WarrenCore

/// The retention rules, rule by rule, against synthetic backups over two years (2024–2025)
/// and two nodes. Every expectation below was computed by hand from the calendar:
/// 2024-12-28 is a Saturday in ISO week 2024-W52; 2024-12-30 (Mon) through 2025-01-05 (Sun)
/// is ISO week 2025-W01, so 30 and 31 December 2024 belong to week 1 of 2025 but to the
/// month December and the year 2024.
@Suite struct RetentionPolicyTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    static func backup(_ id: Int64, _ node: String, _ time: String, pinned: Bool = false, state: BackupState = .complete,
                       verdict: Verdict? = nil) -> RetentionCandidate {
        RetentionCandidate(id: id, node: node, takenAt: at(time), pinned: pinned, state: state, lastVerdict: verdict)
    }

    /// Node A, ids in time order (newest: 17).
    static let nodeA: [RetentionCandidate] = [
        backup(1, "rabbit@a", "2024-01-15T08:00:00Z"),
        backup(2, "rabbit@a", "2024-03-10T08:00:00Z"),
        backup(3, "rabbit@a", "2024-03-20T08:00:00Z"),
        backup(4, "rabbit@a", "2024-07-01T08:00:00Z"),
        backup(5, "rabbit@a", "2024-12-28T08:00:00Z"),   // Sat, 2024-W52
        backup(6, "rabbit@a", "2024-12-30T08:00:00Z"),   // Mon, 2025-W01, December 2024
        backup(7, "rabbit@a", "2024-12-31T23:00:00Z"),   // Tue, 2025-W01, last of 2024
        backup(8, "rabbit@a", "2025-01-01T01:00:00Z"),   // Wed, 2025-W01
        backup(9, "rabbit@a", "2025-01-05T12:00:00Z"),   // Sun, 2025-W01 (newest of that week)
        backup(10, "rabbit@a", "2025-01-06T09:00:00Z"),  // Mon, 2025-W02
        backup(11, "rabbit@a", "2025-06-15T08:00:00Z"),  // Sun, 2025-W24
        backup(12, "rabbit@a", "2025-12-01T08:00:00Z"),  // Mon, 2025-W49
        backup(13, "rabbit@a", "2025-12-01T08:30:00Z"),  // same hour as 12
        backup(14, "rabbit@a", "2025-12-01T09:10:00Z"),
        backup(15, "rabbit@a", "2025-12-02T08:00:00Z"),
        backup(16, "rabbit@a", "2025-12-02T20:00:00Z"),
        backup(17, "rabbit@a", "2025-12-03T08:00:00Z"),
    ]

    /// Node B: newer than A's newest, so mixing nodes would push A's backups out.
    static let nodeB: [RetentionCandidate] = [
        backup(101, "rabbit@b", "2024-02-01T00:00:00Z"),
        backup(102, "rabbit@b", "2024-12-29T12:00:00Z"),  // Sun, 2024-W52
        backup(103, "rabbit@b", "2025-01-01T00:00:00Z"),  // Wed, 2025-W01
        backup(104, "rabbit@b", "2025-12-05T10:00:00Z"),  // Fri, 2025-W49
        backup(105, "rabbit@b", "2025-12-10T10:00:00Z"),  // Wed, 2025-W50
        backup(106, "rabbit@b", "2025-12-10T11:00:00Z"),
    ]

    /// Ids kept with a reason starting with `rule` (e.g. "daily").
    static func keptBy(_ rule: String, _ decisions: [RetentionDecision]) -> Set<Int64> {
        Set(decisions.filter { $0.reasons.contains { $0.hasPrefix(rule + " ") } }.map(\.id))
    }

    static func kept(_ decisions: [RetentionDecision]) -> Set<Int64> { Set(decisions.filter(\.keep).map(\.id)) }

    static func reasons(_ id: Int64, _ decisions: [RetentionDecision]) -> [String] {
        decisions.first { $0.id == id }?.reasons ?? ["<missing>"]
    }

    @Test func keepLastKeepsTheNewestN() {
        let plan = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepLast: 3))
        #expect(Self.keptBy("last", plan) == [17, 16, 15])
        #expect(Self.reasons(16, plan) == ["last 2/3"])
        #expect(Self.reasons(15, plan) == ["last 3/3"])
        // The newest also survives as the newest backup when nothing was verified.
        #expect(Self.reasons(17, plan) == ["last 1/3", "newest (none verified)"])
        #expect(Self.kept(plan) == [17, 16, 15])
        #expect(plan.map(\.id) == Array((1...17).reversed()), "newest first")
    }

    @Test func hourlyKeepsTheNewestOfEachHour() {
        let plan = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepHourly: 4))
        #expect(Self.keptBy("hourly", plan) == [17, 16, 15, 14])
        // 12 and 13 share 2025-12-01 08h: the fifth hour keeps 13, the newer of the two.
        let five = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepHourly: 5))
        #expect(Self.keptBy("hourly", five) == [17, 16, 15, 14, 13])
        #expect(Self.reasons(13, five) == ["hourly 5/5"])
    }

    @Test func dailyCountsOnlyDaysThatHaveBackups() {
        let plan = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepDaily: 3))
        #expect(Self.keptBy("daily", plan) == [17, 16, 14])
        #expect(Self.reasons(16, plan) == ["daily 2/3"])
        #expect(Self.reasons(14, plan) == ["daily 3/3"])
        // Seven days with backups reach back across six months: 12-03, 12-02, 12-01, 06-15, 01-06, 01-05, 01-01.
        let seven = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepDaily: 7))
        #expect(Self.keptBy("daily", seven) == [17, 16, 14, 11, 10, 9, 8])
    }

    @Test func weeklyUsesISOWeeksAcrossTheYearBoundary() {
        let plan = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepWeekly: 5))
        // W49, W24, 2025-W02, 2025-W01 (9 is its newest; 8, 7 and 6 are in it too), 2024-W52.
        #expect(Self.keptBy("weekly", plan) == [17, 11, 10, 9, 5])
        #expect(Self.reasons(9, plan) == ["weekly 4/5"])
        #expect(Self.reasons(5, plan) == ["weekly 5/5"])
        #expect(!Self.kept(plan).contains(6) && !Self.kept(plan).contains(7), "30 and 31 Dec 2024 are in ISO week 1 of 2025")
    }

    @Test func monthlyAndYearly() {
        let monthly = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepMonthly: 4))
        // 2025-12, 2025-06, 2025-01 (10), 2024-12 (7: 31 Dec 23:00, unlike 8 on 1 Jan).
        #expect(Self.keptBy("monthly", monthly) == [17, 11, 10, 7])
        let yearly = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepYearly: 3))
        // Only two years have backups: a third slot stays unused.
        #expect(Self.keptBy("yearly", yearly) == [17, 7])
        #expect(Self.reasons(7, yearly) == ["yearly 2/3"])
    }

    @Test func withinCountsBackFromTheNewestBackupStrictly() {
        let twoDays = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepWithin: RetentionDuration("2d")))
        // Cutoff 2025-12-01T08:00:00Z: 12, taken exactly then, is not within; 13 (08:30) is.
        #expect(Self.keptBy("within", twoDays) == [17, 16, 15, 14, 13])
        #expect(Self.reasons(13, twoDays) == ["within 2d"])
        let threeDays = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepWithin: RetentionDuration("3d")))
        #expect(Self.keptBy("within", threeDays) == [17, 16, 15, 14, 13, 12])
        let oneYear = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepWithin: RetentionDuration("1y")))
        // Cutoff 2024-12-03T08:00:00Z.
        #expect(Self.keptBy("within", oneYear) == Set(5...17))
        let hours = RetentionPlanner.plan(Self.nodeA, policy: RetentionPolicy(keepWithin: RetentionDuration("1d12h")))
        // Cutoff 2025-12-01T20:00:00Z.
        #expect(Self.keptBy("within", hours) == [17, 16, 15])
    }

    @Test func combinationsKeepTheUnionWithEveryReason() {
        let policy = RetentionPolicy(keepLast: 2, keepDaily: 3, keepMonthly: 4, keepWithin: RetentionDuration("2d"))
        let plan = RetentionPlanner.plan(Self.nodeA, policy: policy)
        #expect(Self.kept(plan) == [17, 16, 15, 14, 13, 11, 10, 7])
        #expect(Self.reasons(17, plan) == ["last 1/2", "daily 1/3", "monthly 1/4", "within 2d", "newest (none verified)"])
        #expect(Self.reasons(16, plan) == ["last 2/2", "daily 2/3", "within 2d"])
        #expect(Self.reasons(14, plan) == ["daily 3/3", "within 2d"])
        #expect(Self.reasons(7, plan) == ["monthly 4/4"])
        #expect(Self.reasons(12, plan) == [])
        #expect(plan.first { $0.id == 12 }?.action == "remove")
        let everything = RetentionPolicy(keepLast: 1, keepHourly: 2, keepDaily: 2, keepWeekly: 2, keepMonthly: 2, keepYearly: 2)
        // last: 17; hourly: 17, 16; daily: 17, 16; weekly: 17 (W49), 11 (W24); monthly: 17, 11; yearly: 17, 7.
        #expect(Self.kept(RetentionPlanner.plan(Self.nodeA, policy: everything)) == [17, 16, 11, 7])
    }

    @Test func pinnedAndNewestViableSurviveKeepLastOne() {
        var backups = Self.nodeA
        backups[2].pinned = true                        // 3
        backups[9].lastVerdict = .viable               // 10
        backups[5].lastVerdict = .viable               // 6: older viable, not kept
        backups[14].lastVerdict = .notViable          // 15
        backups.append(Self.backup(18, "rabbit@a", "2025-12-04T08:00:00Z", state: .inProgress))
        backups.append(Self.backup(19, "rabbit@a", "2025-12-03T12:00:00Z", state: .failed))
        let plan = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 1))
        #expect(Self.kept(plan) == [17, 10, 3, 18])
        #expect(Self.reasons(17, plan) == ["last 1/1"], "the in-progress and failed backups do not take the last slot")
        #expect(Self.reasons(10, plan) == ["newest viable"])
        #expect(Self.reasons(3, plan) == ["pinned"])
        #expect(Self.reasons(18, plan) == ["in progress"])
        #expect(plan.first { $0.id == 19 }?.action == "remove")
        #expect(plan.first { $0.id == 6 }?.action == "remove")
    }

    @Test func newestGoodBackupFallbacks() {
        var backups = Array(Self.nodeA.suffix(3))        // 15, 16, 17
        backups[2].lastVerdict = .viableWithWarnings  // 17 counts as viable
        backups[0].lastVerdict = .viable
        var plan = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepWithin: RetentionDuration("1h")))
        #expect(Self.reasons(17, plan) == ["within 1h", "newest viable"])

        backups = Array(Self.nodeA.suffix(3))
        backups[2].lastVerdict = .notViable            // 17
        plan = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 1))
        #expect(Self.reasons(16, plan) == ["newest unverified (none viable)"])

        for i in backups.indices { backups[i].lastVerdict = .notViable }
        plan = RetentionPlanner.plan(backups, policy: RetentionPolicy(keepLast: 1))
        #expect(Self.reasons(17, plan) == ["last 1/1", "newest (none viable)"])
        #expect(Self.kept(plan) == [17])
    }

    @Test func nodesAreNeverMixed() {
        let all = Self.nodeA + Self.nodeB
        let policies = [
            RetentionPolicy(keepLast: 3), RetentionPolicy(keepDaily: 2), RetentionPolicy(keepWeekly: 4),
            RetentionPolicy(keepMonthly: 2, keepWithin: RetentionDuration("3d")), RetentionPolicy(keepYearly: 1),
        ]
        for policy in policies {
            let together = RetentionPlanner.plan(all.shuffled(), policy: policy)
            let apart = RetentionPlanner.plan(Self.nodeA, policy: policy) + RetentionPlanner.plan(Self.nodeB, policy: policy)
            #expect(together == apart, "policy \(policy.summary)")
        }
        let last = RetentionPlanner.plan(all, policy: RetentionPolicy(keepLast: 3))
        #expect(Self.kept(last) == [17, 16, 15, 106, 105, 104])
        // B's weekly buckets: W50, W49, 2025-W01, then 2024-W52 (102, a Sunday).
        #expect(Self.keptBy("weekly", RetentionPlanner.plan(all, policy: RetentionPolicy(keepWeekly: 4))) == [17, 11, 10, 9, 106, 104, 103, 102])
        // Per-node policies: a node without one keeps everything.
        let mixed = RetentionPlanner.plan(all) { $0 == "rabbit@a" ? RetentionPolicy(keepLast: 1) : nil }
        #expect(Self.kept(mixed) == Set([17] + (101...106)))
        #expect(Self.reasons(101, mixed) == ["no policy"])
    }
}
