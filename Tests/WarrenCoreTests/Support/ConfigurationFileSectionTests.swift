import Foundation
import Testing
@testable import WarrenCore

/// Issue 13: the configuration file sets retention policies (a default for every node and
/// per node) and schedules, in `[node NAME]` sections; every bad line is refused naming it.
@Suite struct ConfigurationFileSectionTests {
    static let path = "/etc/warren/warren.conf"

    static func invalid(_ line: Int?, _ reason: String) -> WarrenError {
        .configurationInvalid(path: path, line: line, reason: reason)
    }

    @Test func sectionsSetPoliciesAndSchedules() throws {
        let file = try ConfigurationFile.parse("""
            repo = /srv/warren
            keep-daily = 7
            keep-within = 2w

            # CRM cluster
            [node rabbit@mq1]
            keep-last = 24
            at = Mon..Fri 02:30
            jitter = 10m
            stop-app = yes
            label = nightly

            [ node rabbit@mq2 ]
            every = 6h

            [node rabbit@mq3]
            keep-weekly = 4
            """, path: Self.path)
        #expect(file.values == [.repo: "/srv/warren"])
        #expect(file.retention.defaultPolicy == RetentionPolicy(keepDaily: 7, keepWithin: RetentionDuration("2w")))
        #expect(file.retention.nodes == ["rabbit@mq1": RetentionPolicy(keepLast: 24), "rabbit@mq3": RetentionPolicy(keepWeekly: 4)])
        #expect(file.schedules == [
            ConfiguredSchedule(request: ScheduleRequest(node: "rabbit@mq1", at: "Mon..Fri 02:30", jitter: "10m", stopApp: true, label: "nightly"),
                               path: Self.path, line: 6),
            ConfiguredSchedule(request: ScheduleRequest(node: "rabbit@mq2", every: "6h"), path: Self.path, line: 13),
        ])
        // The node's own section wins; a node without one gets the file's default.
        #expect(file.retention.policy(for: "rabbit@mq1")?.policy == RetentionPolicy(keepLast: 24))
        #expect(file.retention.policy(for: "rabbit@mq1")?.own == true)
        #expect(file.retention.policy(for: "rabbit@mq2")?.policy == file.retention.defaultPolicy)
        #expect(file.retention.policy(for: "rabbit@mq2")?.own == false)
    }

    @Test func aFileWithoutPoliciesHasNone() throws {
        let file = try ConfigurationFile.parse("repo = /srv/warren\n[node rabbit@a]\nevery = 1d\n", path: Self.path)
        #expect(file.retention.isEmpty && file.retention.policy(for: "rabbit@a") == nil)
        #expect(file.schedules.map(\.request.node) == ["rabbit@a"])
    }

    @Test func badLinesAreRefusedNamingTheLine() {
        let cases: [(String, WarrenError)] = [
            ("every = 6h\n", Self.invalid(1, "unknown key `every` (known: repo, rabbitmqctl, lock-timeout, log-format, socket, pre-hook, post-hook, keep-last, keep-hourly, keep-daily, keep-weekly, keep-monthly, keep-yearly, keep-within); `every` belongs in a [node NAME] section")),
            ("[node rabbit@a]\nrepo = /srv\n", Self.invalid(2, "unknown key `repo` in [node rabbit@a] (known: keep-last, keep-hourly, keep-daily, keep-weekly, keep-monthly, keep-yearly, keep-within, every, at, jitter, stop-app, label)")),
            ("keep-last = 0\n", Self.invalid(1, "keep-last must be a whole number of at least 1 (got 0)")),
            ("[node rabbit@a]\nkeep-daily = -1\n", Self.invalid(2, "keep-daily must be a whole number of at least 1 (got -1)")),
            ("keep-within = 2 weeks\n", Self.invalid(1, "keep-within '2 weeks' is not a duration such as 14d, 36h, 2w or 1y6m")),
            ("[node rabbit@a]\nkeep-last = 2\nkeep-last = 3\n", Self.invalid(3, "`keep-last` is set twice")),
            ("[node rabbit@a]\n[node rabbit@a]\n", Self.invalid(2, "[node rabbit@a] is already a section at line 1")),
            ("[rabbit@a]\n", Self.invalid(1, "a section is `[node NAME]` (e.g. [node rabbit@mq1]), got `[rabbit@a]`")),
            ("[node rabbit@a\n", Self.invalid(1, "a section is `[node NAME]`, got `[node rabbit@a`")),
            ("[node rabbit@a]\njitter = 5m\n", Self.invalid(1, "[node rabbit@a] sets jitter but neither every nor at (when its schedule runs)")),
            ("[node rabbit@a]\nevery = 6h\nstop-app = maybe\n", Self.invalid(1, "[node rabbit@a] stop-app must be yes or no (got maybe)")),
            ("[node rabbit@a]\nevery = 6h\nat = 02:30\n", Self.invalid(1, "[node rabbit@a] at: give an interval (every) or a calendar time (at), not both")),
            ("[node rabbit@a]\nat = 25:00\n", Self.invalid(1, "[node rabbit@a] at: '25:00' is not a calendar time such as 02:30, Mon..Fri 02:30, Sat,Sun 04:00 UTC, *:15, hourly, daily or weekly")),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "\(text)") { try ConfigurationFile.parse(text, path: Self.path) }
        }
    }

    /// flags > the file's node section > the file's default > the stored node policy > the stored default.
    @Test func precedenceRunsFromFlagsToTheStoredDefault() {
        let stored = [StoredPolicy(node: "rabbit@a", policy: RetentionPolicy(keepLast: 5), updatedAt: "t"),
                      StoredPolicy(node: nil, policy: RetentionPolicy(keepLast: 6), updatedAt: "t")]
        let file = ConfiguredRetention(path: Self.path, defaultPolicy: RetentionPolicy(keepLast: 3), nodes: ["rabbit@a": RetentionPolicy(keepLast: 2)])
        let flags = RetentionPolicy(keepLast: 1)
        func resolve(_ node: String, flags: RetentionPolicy? = nil, file: ConfiguredRetention? = file, stored: [StoredPolicy] = stored) -> (AppliedPolicy.Source, Int?) {
            let applied = AppliedPolicy.resolve(node: node, flags: flags, configured: file, stored: stored)
            return (applied.source, applied.policy?.keepLast)
        }
        #expect(resolve("rabbit@a", flags: flags) == (.flags, 1))
        #expect(resolve("rabbit@a") == (.fileNode, 2))
        #expect(resolve("rabbit@b") == (.fileDefault, 3))
        #expect(resolve("rabbit@a", file: ConfiguredRetention(path: Self.path, nodes: ["rabbit@z": RetentionPolicy(keepLast: 9)])) == (.node, 5))
        #expect(resolve("rabbit@b", file: nil) == (.default, 6))
        #expect(resolve("rabbit@b", file: nil, stored: []) == (.none, nil))
    }
}
