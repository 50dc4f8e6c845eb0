import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// Direct tests of ``RestorePlanner`` (issue 12 §4) against a real RabbitMQ node: what a
/// restore would write, leave out and expect, and how it sees the target; plus the §3 rule
/// that a catalog path leaving the node directory is refused with exit 9, even for a dry run.
@Suite(.serialized) struct RestorePlannerTests {
    static let cleanStop: Set<String> = ["recovery.dets", "clean.dot", "file_summary.ets", "msg_store_index.ets"]

    @Test func plansFilesExclusionsCountsAndTargetStates() throws {
        let work = NSTemporaryDirectory() + "warren-planner-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        try RabbitNode.with("e2e-planner") { node in
            try node.addVhost("/")
            try node.addVhost("shop")
            for (vhost, queue, count) in [("/", "orders", 20), ("/", "emails", 5), ("shop", "carts", 7)] {
                try node.amqp(["declare", vhost, queue])
                try node.amqp(["publish", vhost, queue, "--count", String(count), "--size", "200"])
            }
            try node.manualBackup(into: work + "/backup")
            // A node never hard-links files in msg_stores (cp -a keeps links): registering
            // the copy would fail otherwise.
            let links = try Command.check("/usr/bin/find", [node.directory + "/msg_stores", "-type", "f", "-links", "+1"])
            #expect(links.isEmpty, "the node made hard links: \(links)")

            let repo = try Repository.initialize(at: work + "/repo")
            let id = try Registrar(repository: repo).register(RegisterRequest(directory: work + "/backup", node: node.nodeName))
            let broker = BrokerControl(node: node.nodeName)
            let version = try broker.version()
            let planner = RestorePlanner(repository: repo)
            func plan(_ exclusions: Exclusions = Exclusions(), replace: Bool = false) throws -> RestorePlanner.Output {
                try planner.plan(RestoreRequest(backupID: id, node: node.nodeName, exclusions: exclusions, dryRun: true, replaceVhostData: replace),
                                 broker: broker, targetVersion: version, nodeDirectory: node.directory)
            }

            // 1. Everything: every stored file but the transient store, the index counts as
            // expectations, and the target (the node itself) holding messages in both vhosts.
            let full = try plan()
            let manifest = try repo.catalog.reader.read { try Row.fetchAll($0, sql: "SELECT path, kind FROM manifest_file WHERE backup_id = ?", arguments: [id]) }
            #expect(Set(full.files.map(\.path.string)) == Set(manifest.filter { $0["kind"] as String != "transient" }.map { $0["path"] as String }))
            #expect(full.plan.files == full.files.count && full.plan.bytes == full.files.reduce(0) { $0 + $1.file.size })
            #expect(full.plan.verdict != .notViable && full.plan.excluded.isEmpty && full.plan.asideDirectory == nil)
            let vhosts = Dictionary(uniqueKeysWithValues: full.plan.vhosts.map { ($0.name ?? "?", $0) })
            #expect(vhosts["/"]?.targetState == "holds_messages" && vhosts["/"]?.targetMessages == 25)
            #expect(vhosts["shop"]?.targetState == "holds_messages" && vhosts["shop"]?.targetMessages == 7)
            #expect(Set(full.plan.occupiedVhosts) == ["/", "shop"])
            let expected = full.plan.vhosts.flatMap(\.queues).map { "\($0.vhost ?? "?")|\($0.name ?? "?")|\($0.expectedMessages ?? -1)|\($0.expectedSource ?? "-")" }
            #expect(Set(expected) == ["/|orders|20|index", "/|emails|5|index", "shop|carts|7|index"])
            #expect(full.plan.vhosts.allSatisfy { !$0.cleanStopFilesDropped })
            #expect(full.definedVhosts == ["/", "shop"] && Set(full.durableQueues) == [["/", "orders"], ["/", "emails"], ["shop", "carts"]])
            #expect(try plan(replace: true).plan.asideDirectory.map { $0.hasPrefix(repo.path + "/aside/") && $0.hasSuffix("-backup-\(id)") } == true)

            // 2. A queue excluded: its files are left out, and so are its vhost's clean-stop
            // files (the broker must rescan rather than trust counts that include it).
            let emailsDir = RabbitDirectoryName.queue(vhost: "/", queue: "emails")
            let rootDir = RabbitDirectoryName.vhost("/")
            let noEmails = try plan(Exclusions(queueGlobs: ["em*"]))
            #expect(!noEmails.files.contains { $0.path.string.contains("/queues/\(emailsDir)/") })
            #expect(!noEmails.files.contains { $0.path.string.hasPrefix("vhosts/\(rootDir)/") && Self.cleanStop.contains($0.path.components.last!) })
            #expect(noEmails.files.contains { $0.path.string.hasPrefix("vhosts/\(RabbitDirectoryName.vhost("shop"))/") && Self.cleanStop.contains($0.path.components.last!) })
            #expect(noEmails.plan.excluded.map { "\($0.name ?? "?"): \($0.reason)" } == ["emails: queue excluded (em*)"])
            #expect(noEmails.plan.vhosts.first { $0.name == "/" }?.cleanStopFilesDropped == true)
            #expect(noEmails.plan.vhosts.first { $0.name == "shop" }?.cleanStopFilesDropped == false)

            // 3. A vhost excluded: none of its files, its queues listed as excluded.
            let noShop = try plan(Exclusions(vhosts: ["shop"]))
            #expect(noShop.plan.vhosts.map(\.name) == ["/"])
            #expect(!noShop.files.contains { $0.path.string.hasPrefix("vhosts/\(RabbitDirectoryName.vhost("shop"))/") })
            #expect(noShop.plan.excluded.map { "\($0.name ?? "?"): \($0.reason)" } == ["carts: vhost excluded"])

            // 4. A misspelt exclusion is refused before the target is looked at.
            do {
                _ = try plan(Exclusions(queueGlobs: ["emial*"]))
                Issue.record("planned with a misspelt exclusion")
            } catch let WarrenError.unmatchedExclusions(unmatched) {
                #expect(unmatched.field == "exclude_queues" && unmatched.queueGlobs == ["emial*"] && unmatched.backup == id, "\(unmatched)")
            }

            // 5. The target emptied: "/" empty; "shop" deleted (absent), then a stale copy of
            // its directory holding rdq data (holds_messages: it would be merged).
            try node.ctl(["purge_queue", "-p", "/", "orders"])
            try node.ctl(["purge_queue", "-p", "/", "emails"])
            try node.ctl(["delete_vhost", "shop"])
            let emptied = Dictionary(uniqueKeysWithValues: try plan().plan.vhosts.map { ($0.name ?? "?", $0) })
            #expect(emptied["/"]?.targetState == "empty" && emptied["/"]?.targetMessages == 0)
            #expect(emptied["shop"]?.targetState == "absent", "\(emptied["shop"]?.targetState ?? "nil")")
            let stale = node.directory + "/msg_stores/vhosts/" + RabbitDirectoryName.vhost("shop") + "/msg_store_persistent"
            try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
            try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: stale + "/3.rdq"))
            defer { try? FileManager.default.removeItem(atPath: node.directory + "/msg_stores/vhosts/" + RabbitDirectoryName.vhost("shop")) }
            let withStale = try plan().plan
            #expect(withStale.vhosts.first { $0.name == "shop" }?.targetState == "holds_messages")
            #expect(withStale.occupiedVhosts == ["shop"])
        }
    }

    /// Issue 12 §3: a manifest path like `../x` made `restore --dry-run` exit 10 (a step
    /// failed) while verify said viable. Now: not viable, and refused with exit 9, nothing touched.
    @Test func restoreDryRunRefusesUnsafeCatalogPathsWithExit9() throws {
        let work = NSTemporaryDirectory() + "warren-unsafe-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--repo", repo])
        try SyntheticBackup.make(at: work + "/b")
        let id = try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", repo]).trimmingCharacters(in: .whitespacesAndNewlines)
        try RabbitNode.with("e2e-unsafe") { node in
            for (field, value) in [("path", "../../../../tmp/warren-escape-\(getpid())"), ("path", "/etc/cron.d/warren"), ("path", "a/../../x"), ("dir_name", "../..")] {
                let copy = work + "/repo-\(field)-\(abs(value.hashValue))"
                try Command.check("/bin/cp", ["-a", repo, copy])
                try DatabaseQueue(path: copy + "/catalog.sqlite").write { db in
                    if field == "path" {
                        try db.execute(sql: "UPDATE manifest_file SET path = ? WHERE path = (SELECT MAX(path) FROM manifest_file WHERE path LIKE '%.rdq')", arguments: [value])
                    } else {
                        try db.execute(sql: "UPDATE store_vhost SET dir_name = ?", arguments: [value])
                    }
                }
                let verify = try Warren.run(["verify", id, "--json"], repo: copy)
                #expect(verify.status == 1 && verify.stdout.contains("\"unsafe_path\""), "\(value): \(verify.stdout)")
                let before = try node.messageCounts(vhost: "/")
                for extra in [["--dry-run"], []] {
                    let restore = try Warren.run(["restore", id, "--node", node.nodeName] + extra, repo: copy)
                    #expect(restore.status == 9, "\(value) \(extra): exit \(restore.status): \(restore.stderr)")
                    #expect(restore.stderr.contains("restore refused, nothing was changed") && restore.stderr.contains(value), "\(restore.stderr)")
                }
                #expect(try node.messageCounts(vhost: "/") == before)
                #expect(!FileManager.default.fileExists(atPath: "/tmp/warren-escape-\(getpid())"))
                let export = try Warren.run(["export", id, work + "/export-\(abs(value.hashValue))"], repo: copy)
                #expect(export.status == 4 && export.stderr.contains("cannot be exported, nothing was written"), "\(export.stderr)")
            }
        }
    }
}
