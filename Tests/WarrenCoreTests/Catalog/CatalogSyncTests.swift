import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// ``CatalogRebuilder/synchronise(_:from:)``, the incremental import an S3 repository's cache
/// runs on every open, over a local repository's documents (the same storage protocol): new
/// manifests are recorded once, gone or tombstoned ones dropped, a failed row replaced by the
/// manifest written under its id, an in-progress one left alone, and ids reserved.
@Suite struct CatalogSyncTests {
    struct Fixture {
        let dir = TemporaryDirectory()
        let repo: Repository
        let tree: BackupTree
        let cache: Catalog

        init() throws {
            repo = try Repository.initialize(at: dir.file("repo"))
            tree = try BackupTree.standard(at: dir.file("backup"))
            cache = try Catalog(creatingAt: dir.file("cache.sqlite"), mode: 0o600)
        }

        func register(node: String = "rabbit@a") throws -> Int64 {
            try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: node))
        }

        func cached() throws -> [Int64: BackupState] { try cache.backupStates() }

        func fileCount(_ id: Int64) throws -> Int {
            try cache.reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM manifest_file WHERE backup_id = ?", arguments: [id]) ?? 0 }
        }
    }

    @Test func newManifestsAreRecordedOnceAndGoneOnesDropped() throws {
        let f = try Fixture()
        let first = try f.register()
        let second = try f.register(node: "rabbit@b")

        var report = try CatalogRebuilder.synchronise(f.cache, from: f.repo.storage)
        #expect(report == .init(added: [first, second], dropped: [], unreadable: []))
        #expect(try f.cached() == [first: .complete, second: .complete])
        let files = try f.fileCount(first)
        #expect(files > 0)

        // Nothing new: nothing read again, nothing doubled.
        report = try CatalogRebuilder.synchronise(f.cache, from: f.repo.storage)
        #expect(report == .init())
        #expect(try f.fileCount(first) == files)

        // One more elsewhere, one manifest gone, one tombstoned.
        let third = try f.register()
        try f.repo.storage.delete(.manifest(backupID: first))
        try f.repo.manifests.writeTombstones([second])
        report = try CatalogRebuilder.synchronise(f.cache, from: f.repo.storage)
        #expect(report == .init(added: [third], dropped: [first, second], unreadable: []))
        #expect(try f.cached() == [third: .complete])
        #expect(try f.fileCount(first) == 0)
    }

    @Test func failedRowsAreReplacedInProgressOnesKeptAndIDsReserved() throws {
        let f = try Fixture()
        let first = try f.register()
        let second = try f.register()
        // This host's own rows for those ids: a failed register where another host's manifest
        // took the id, and a register still running under the other.
        try CatalogAccess.write(f.cache) { db in
            for (id, state) in [(first, BackupState.failed), (second, .inProgress)] {
                try db.execute(sql: """
                    INSERT INTO backup (id, node, taken_at, created_at, state, source, failure)
                    VALUES (?, 'rabbit@c', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', ?, 'register', ?)
                    """, arguments: [id, state, state == .failed ? "killed" : nil])
            }
        }

        let report = try CatalogRebuilder.synchronise(f.cache, from: f.repo.storage)
        #expect(report.added == [first], "the failed row is replaced; the in-progress one is left to its writer")
        #expect(try f.cached() == [first: .complete, second: .inProgress])

        // The next id this host hands out is past every id the repository used.
        try f.repo.manifests.writeTombstones([second + 5])
        _ = try CatalogRebuilder.synchronise(f.cache, from: f.repo.storage)
        let next = try CatalogAccess.write(f.cache) { db -> Int64 in
            try db.execute(sql: """
                INSERT INTO backup (node, taken_at, created_at, state, source)
                VALUES ('rabbit@c', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', 'in_progress', 'register')
                """)
            return db.lastInsertedRowID
        }
        #expect(next == second + 6)
    }
}
