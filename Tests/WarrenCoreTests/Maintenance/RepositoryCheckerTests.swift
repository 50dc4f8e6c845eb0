import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// `warren check`: a clean repository is clean; missing, truncated and unreferenced objects
/// and backups left in progress are found, with the backup named; repairs need the lock.
@Suite struct RepositoryCheckerTests {
    @Test func aFreshRepositoryIsClean() throws {
        let f = try RetentionFixture()
        try f.register(at: "2025-01-01T00:00:00Z")
        let report = try RepositoryChecker(repository: f.repo).check()
        #expect(report.clean && report.findings.isEmpty)
        #expect(report.integrity == ["ok"])
        #expect(report.schema.current && report.schema.applied.contains("0005_retention"))
        #expect(report.referencedObjects == (try f.objectFiles()).count && report.storedObjects == report.referencedObjects)
    }

    @Test func findsMissingAndTruncatedObjects() throws {
        let f = try RetentionFixture()
        let first = try f.register(at: "2025-01-01T00:00:00Z", seed: 1)
        let second = try f.register(at: "2025-01-02T00:00:00Z", seed: 2)
        let missing = try f.uniqueObject(of: first)
        try FileManager.default.removeItem(atPath: f.repo.objects.path(of: missing))
        let truncated = try f.uniqueObject(of: second)
        let path = f.repo.objects.path(of: truncated)
        chmod(path, 0o600)  // writable, still private (else check also reports repository_world_readable)
        #expect(truncate(path, 10) == 0)

        let report = try RepositoryChecker(repository: f.repo).check()
        #expect(!report.clean)
        let gone = try #require(report.findings.first { $0.code == "object_missing" })
        #expect(gone.severity == .error && gone.object == missing.hex && gone.backup == first)
        #expect(gone.message.contains("backup(s) \(first)"))
        let short = try #require(report.findings.first { $0.code == "object_size_mismatch" })
        #expect(short.object == truncated.hex && short.bytes == 10)
        #expect(report.findings.count == 2)
    }

    @Test func marksBackupsLeftInProgressFailedOnlyWhenRepairing() throws {
        let f = try RetentionFixture()
        try f.register(at: "2025-01-01T00:00:00Z")
        let stuck = try f.repo.catalog.write { db -> Int64 in
            try db.execute(sql: """
                INSERT INTO backup (node, taken_at, created_at, state, source) VALUES ('rabbit@a', '2025-01-02T00:00:00Z', '2025-01-02T00:00:01Z', 'in_progress', 'register')
                """)
            return db.lastInsertedRowID
        }
        // A live writer holds the lock: the backup may really be in progress.
        let held = try RepositoryLock.acquire(repository: f.repo, command: "register")
        var report = try RepositoryChecker(repository: f.repo).check(repair: false)
        #expect(report.clean && report.findings.map(\.code) == ["backup_in_progress"])
        #expect(throws: WarrenError.lockHeld(path: f.repo.path, holder: held.holder, waited: 0)) { try RepositoryChecker(repository: f.repo).check() }
        held.release()

        report = try RepositoryChecker(repository: f.repo).check(repair: false)
        #expect(!report.clean && report.findings.map(\.code) == ["backup_interrupted"] && report.findings[0].fixed == false)
        #expect(try CatalogQueries(catalog: f.repo.catalog).summary(id: stuck).state == .inProgress)

        report = try RepositoryChecker(repository: f.repo).check()
        #expect(!report.clean && report.findings.first?.fixed == true && report.findings.first?.backup == stuck)
        let summary = try CatalogQueries(catalog: f.repo.catalog).summary(id: stuck)
        #expect(summary.state == .failed && summary.failure?.contains("interrupted") == true)
        #expect(try RepositoryChecker(repository: f.repo).check().clean)
    }
}
