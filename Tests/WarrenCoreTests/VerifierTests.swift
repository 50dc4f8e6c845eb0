import Foundation
import GRDB
import Testing
@testable import WarrenCore

@Suite struct VerifierTests {
    @Test func everyFindingCodeIsDocumentedInTheReadme() throws {
        let readme = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardized.path, encoding: .utf8)
        for code in FindingCode.allCases {
            #expect(readme.contains("| `\(code.rawValue)` | \(code.severity.rawValue) |"), "README does not document \(code.rawValue)")
        }
    }

    @Test func versionsCompareNumerically() throws {
        let v = { (s: String) in try #require(BrokerVersion(s)) }
        #expect(try v("3.9.0") < v("3.10.8"))
        #expect(try v("3.10") == v("3.10.0"))
        #expect(try v("4.0.0-rc.1").atLeast(4, 0))
        #expect(try !v("3.13.7").atLeast(4, 0))
        #expect(try v("4.3.1").atLeast(4, 3))
        #expect(BrokerVersion("latest") == nil)
        #expect(BrokerVersion("4") == nil)
    }

    @Test func exclusionGlobsMatchQueueNamesInAnyVhost() {
        let e = Exclusions(queueGlobs: ["emails*", "tmp.?"], vhosts: ["crm"])
        #expect(e.glob(excluding: "emails.welcome") == "emails*")
        #expect(e.glob(excluding: "emails/eu") == "emails*")
        #expect(e.glob(excluding: "tmp.1") == "tmp.?")
        #expect(e.glob(excluding: "orders") == nil)
        #expect(e.glob(excluding: nil) == nil)
        #expect(e.excludes(vhost: "crm") && !e.excludes(vhost: "crm2"))
    }

    @Test func syntheticTreeVerdicts() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        // A stored queue without a definition, and a live copy (no clean.dot anywhere).
        try tree.queue(vhost: "/", name: "ghost")
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let report = try Verifier(repository: repo).verify(id: id)
        #expect(report.verdict == .notViable)
        #expect(report.findings.first?.code == .queueNotDefined)
        #expect(report.findings.first?.queue == "ghost" && report.findings.first?.vhost == "/")
        #expect(report.findings.contains { $0.code == .liveCopy && $0.vhost == "shop/eu" })
        let excluded = try Verifier(repository: repo).verify(id: id, options: VerifyOptions(excludeQueues: ["gh*"]))
        #expect(excluded.verdict == .viableWithWarnings)
        #expect(excluded.findings.contains { $0.code == .queueExcluded && $0.queue == "ghost" })
        // The what-if run (exclusions) is not the backup's verdict: the plain one stays.
        #expect(excluded.whatIf && !report.whatIf)
        #expect(try CatalogQueries(catalog: repo.catalog).summary(id: id).lastVerdict == .notViable)
        #expect(throws: WarrenError.backupNotFound(id: 99)) { try Verifier(repository: repo).verify(id: 99) }
        #expect(throws: WarrenError.invalidArgument(name: "target_version", reason: "'x' is not a version such as 3.13.7")) {
            try Verifier(repository: repo).verify(id: id, options: VerifyOptions(targetVersion: "x"))
        }
    }

    /// Issue 12 §3: `--target-version 4.3.0` or `--exclude-queue` recorded their verdict as
    /// *the* verdict, which list, show, the metric and prune's "newest viable" then used.
    @Test func whatIfVerdictsAreRecordedButNeverBecomeTheBackupsVerdict() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))  // CQv1 queue "orders": not viable on 4.3
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let verifier = Verifier(repository: repo)
        let queries = CatalogQueries(catalog: repo.catalog)
        #expect(try queries.summary(id: id).lastVerdict == nil)

        let onTarget = try verifier.verify(id: id, options: VerifyOptions(targetVersion: "4.3.0"))
        #expect(onTarget.verdict == .notViable && onTarget.whatIf)
        #expect(try queries.summary(id: id).lastVerdict == nil, "a what-if run became the verdict")

        let plain = try verifier.verify(id: id)
        #expect(plain.verdict == .viableWithWarnings && !plain.whatIf)
        let verifiedAt = try queries.summary(id: id).lastVerifiedAt
        #expect(try queries.summary(id: id).lastVerdict == .viableWithWarnings && verifiedAt == plain.verifiedAt)

        for options in [VerifyOptions(targetVersion: "4.3.0"), VerifyOptions(excludeQueues: ["orders"]), VerifyOptions(excludeVhosts: ["shop/eu"]),
                        VerifyOptions(full: true, targetVersion: "3.10.8")] {
            #expect(try verifier.verify(id: id, options: options).whatIf)
            let summary = try queries.summary(id: id)
            #expect(summary.lastVerdict == .viableWithWarnings && summary.lastVerifiedAt == verifiedAt, "\(options) replaced the verdict")
        }
        // Every run is in the history, with its target and exclusions.
        let history = try repo.catalog.reader.read {
            try Row.fetchAll($0, sql: "SELECT verdict, target_version, exclusions FROM verification WHERE backup_id = ? ORDER BY id", arguments: [id])
        }
        #expect(history.count == 6)
        #expect(history[0]["target_version"] == "4.3.0" && history[0]["verdict"] == "not_viable")
        #expect(history[3]["exclusions"] == #"{"queues":["orders"],"vhosts":[]}"#)
    }

    /// Issue 12 §3: the migration recomputes the verdict of catalogs written before the fix.
    @Test func migrationRecomputesVerdictsFromPlainRuns() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let other = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        try repo.catalog.write { db in
            // As an older Warren left it: a plain run, then a what-if run that overwrote the verdict.
            try db.execute(sql: """
                INSERT INTO verification (backup_id, verified_at, verdict, full, target_version, exclusions, error_count, warning_count, info_count)
                VALUES (?, '2026-01-01T00:00:00Z', 'viable', 0, NULL, '{"queues":[],"vhosts":[]}', 0, 0, 0),
                       (?, '2026-01-02T00:00:00Z', 'not_viable', 0, '4.3.0', '{"queues":[],"vhosts":[]}', 1, 0, 0),
                       (?, '2026-01-03T00:00:00Z', 'viable', 0, NULL, '{"queues":["x*"],"vhosts":[]}', 0, 0, 1);
                UPDATE backup SET last_verdict = 'not_viable', last_verified_at = '2026-01-02T00:00:00Z' WHERE id = ?;
                UPDATE backup SET last_verdict = 'viable', last_verified_at = '2026-01-03T00:00:00Z' WHERE id = ?;
                """, arguments: [id, id, other, id, other])
            let sql = try #require(EmbeddedMigrations.all.first { $0.name == "0030_plain_verdicts" }).sql
            try db.execute(sql: sql)
        }
        let queries = CatalogQueries(catalog: repo.catalog)
        #expect(try queries.summary(id: id).lastVerdict == .viable && queries.summary(id: id).lastVerifiedAt == "2026-01-01T00:00:00Z")
        #expect(try queries.summary(id: other).lastVerdict == nil && queries.summary(id: other).lastVerifiedAt == nil)
    }

    /// Issue 12 §3: verify said viable for manifest paths that restore refuses.
    @Test func unsafeCatalogPathsAreNotViableAndExportRefusesThem() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        #expect(try Verifier(repository: repo).verify(id: id).verdict != .notViable)
        try repo.catalog.write { db in
            let paths = try String.fetchAll(db, sql: "SELECT path FROM manifest_file WHERE backup_id = ? ORDER BY path LIMIT 3", arguments: [id])
            for (old, new) in zip(paths, ["../x", "/etc/cron.d/evil", "vhosts/a/../../../x"]) {
                try db.execute(sql: "UPDATE manifest_file SET path = ? WHERE backup_id = ? AND path = ?", arguments: [new, id, old])
            }
            try db.execute(sql: "UPDATE store_vhost SET dir_name = '../../etc' WHERE backup_id = ? AND vhost = 'shop/eu'", arguments: [id])
        }
        let report = try Verifier(repository: repo).verify(id: id)
        #expect(report.verdict == .notViable)
        let unsafe = report.findings.filter { $0.code == .unsafePath }
        #expect(Set(unsafe.compactMap(\.path)) == ["../x", "/etc/cron.d/evil", "vhosts/a/../../../x", "../../etc"], "\(unsafe)")
        #expect(unsafe.allSatisfy { $0.severity == .error && $0.message.contains("restore catalog.sqlite from a copy") })
        #expect(unsafe.contains { $0.vhost == "shop/eu" && $0.message.contains("stored vhost directory name '../../etc'") })

        let target = dir.file("export")
        do {
            _ = try Exporter(repository: repo).export(id: id, to: target)
            Issue.record("exported a backup with unsafe paths")
        } catch let WarrenError.invalidBackup(path, reason) {
            #expect(["../x", "/etc/cron.d/evil", "vhosts/a/../../../x", "../../etc"].contains(path))
            #expect(reason.contains("cannot be exported, nothing was written"))
        }
        #expect(!FileManager.default.fileExists(atPath: target), "export created its directory before refusing")
    }

    /// Issue 12 §3: an exclusion that matches nothing replayed the queue it meant to keep out.
    @Test func unmatchedExclusionsAreRefusedUnlessAllowed() throws {
        let dir = TemporaryDirectory()
        let repo = try Repository.initialize(at: dir.file("repo"))
        let tree = try BackupTree.standard(at: dir.file("backup"))
        let id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "n"))
        let verifier = Verifier(repository: repo)
        let runs = { try repo.catalog.reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM verification") } }

        do {
            _ = try verifier.verify(id: id, options: VerifyOptions(excludeQueues: ["emial*", "orders"]))
            Issue.record("a misspelt exclusion was accepted")
        } catch let WarrenError.unmatchedExclusions(unmatched) {
            // Issue 14: domain fields, no CLI flag in the core's error.
            #expect(unmatched == UnmatchedExclusions(backup: id, queueGlobs: ["emial*"], vhosts: [], queueNames: ["emails", "orders"], vhostNames: ["/", "shop/eu"]))
            #expect(unmatched.field == "exclude_queues")
            #expect(!unmatched.description.contains("--"), "\(unmatched.description)")
        }
        #expect(throws: WarrenError.unmatchedExclusions(UnmatchedExclusions(backup: id, queueGlobs: [], vhosts: ["shop"], queueNames: ["emails", "orders"], vhostNames: ["/", "shop/eu"]))) {
            try verifier.verify(id: id, options: VerifyOptions(excludeVhosts: ["shop"]))
        }
        #expect(WarrenError.unmatchedExclusions(UnmatchedExclusions(backup: id, queueGlobs: [], vhosts: ["shop"], queueNames: [], vhostNames: ["/", "shop/eu"])).description
                == "vhost exclusion 'shop' matches no vhost of backup \(id) (its vhosts: '/', 'shop/eu'). A misspelt exclusion would restore exactly what it was meant to keep out: check the spelling (globs match the queue name only, in any vhost), or allow unmatched exclusions to go on without it")
        #expect(try runs() == 0, "a refused verify recorded a run")

        let allowed = try verifier.verify(id: id, options: VerifyOptions(excludeQueues: ["emial*", "orders"], excludeVhosts: ["shop"], allowUnmatchedExclusions: true))
        let unmatched = allowed.findings.filter { $0.code == .exclusionUnmatched }
        #expect(unmatched.map(\.message) == ["queue exclusion 'emial*' matches no queue of backup \(id); it leaves nothing out",
                                             "vhost exclusion 'shop' matches no vhost of backup \(id); it leaves nothing out"])
        #expect(allowed.findings.contains { $0.code == .queueExcluded && $0.queue == "orders" })
        // Globs match as before; a matching glob needs no flag.
        #expect(try verifier.verify(id: id, options: VerifyOptions(excludeQueues: ["em*"])).findings.contains { $0.code == .queueExcluded && $0.queue == "emails" })
    }

    @Test func findingsEncodeEveryKey() throws {
        let json = try WarrenJSON.string(Finding(.passwordHashes, "m"))
        for key in ["code", "severity", "vhost", "queue", "path", "message"] { #expect(json.contains("\"\(key)\"")) }
    }
}
