import Foundation
import GRDB
import Synchronization
import Testing
@testable import WarrenCore

/// The state documents in ``CatalogRebuilder/synchronise(_:from:)``: a document is read
/// (GET) only when its listed version is one the cache has not applied, so a synchronised
/// cache costs one LIST per kind; a changed document is read again, a removed pin or policy
/// is cleared, and a backup recorded anew gets its pin back.
@Suite struct StateSyncTests {
    /// The repository's own storage, counting the documents read under `state/`.
    final class CountingStorage: RepositoryStorage {
        let inner: any RepositoryStorage
        private let reads = Mutex(0)
        init(_ inner: any RepositoryStorage) { self.inner = inner }
        var stateReads: Int { reads.withLock { $0 } }

        func put(_ name: StorageName, _ bytes: [UInt8], ifAbsent: Bool) throws -> StoragePutOutcome { try inner.put(name, bytes, ifAbsent: ifAbsent) }
        func get(_ name: StorageName) throws -> [UInt8]? {
            if name.path.hasPrefix("state/") { reads.withLock { $0 += 1 } }
            return try inner.get(name)
        }
        func head(_ name: StorageName) throws -> Int64? { try inner.head(name) }
        func list(prefix: String) throws -> [StorageName] { try inner.list(prefix: prefix) }
        func listVersions(prefix: String) throws -> [(name: StorageName, version: String?)] { try inner.listVersions(prefix: prefix) }
        func delete(_ name: StorageName) throws { try inner.delete(name) }
        func describe(_ name: StorageName) -> String { inner.describe(name) }
        var temporaryDirectory: String { inner.temporaryDirectory }
        func install(_ temporary: String, as name: StorageName) throws { try inner.install(temporary, as: name) }
        func syncInstalled() throws { try inner.syncInstalled() }
        func read(_ name: StorageName, chunk: UnsafeMutableRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
            try inner.read(name, chunk: chunk, body)
        }
    }

    @Test func documentsAreReadOnceThenOnlyWhenChanged() throws {
        let f = try CatalogSyncTests.Fixture()
        let first = try f.register()
        let second = try f.register(node: "rabbit@b")
        let pinning = Pinning(repository: f.repo)
        let policies = PolicyStore(repository: f.repo)
        try pinning.pin(id: first, note: "keep")
        try RepositoryStateStore(storage: f.repo.storage).putVerdict(.init(verdict: .viable, verifiedAt: "2026-12-03T07:00:00.000Z"), backupID: second)
        try policies.set(RetentionPolicy(keepLast: 3), node: "rabbit@a")
        let storage = CountingStorage(f.repo.storage)
        func summary(_ id: Int64) throws -> BackupSummary { try CatalogQueries(catalog: f.cache).summary(id: id) }

        _ = try CatalogRebuilder.synchronise(f.cache, from: storage)
        #expect(storage.stateReads == 3)
        #expect(try summary(first).pinNote == "keep" && summary(second).lastVerdict == .viable)
        #expect(try PolicyStore(catalog: f.cache).list().map(\.node) == ["rabbit@a"])

        // Nothing changed: nothing read.
        _ = try CatalogRebuilder.synchronise(f.cache, from: storage)
        #expect(storage.stateReads == 3)
        #expect(try summary(first).pinNote == "keep")

        // A pin's note changed (elsewhere): that one document is read again.
        try pinning.pin(id: first, note: "keep for the audit")
        _ = try CatalogRebuilder.synchronise(f.cache, from: storage)
        #expect(storage.stateReads == 4)
        #expect(try summary(first).pinNote == "keep for the audit")

        // Unpinned and the policy unset elsewhere: cleared here, without a read.
        _ = try pinning.unpin(id: first)
        _ = try policies.unset(node: "rabbit@a")
        _ = try CatalogRebuilder.synchronise(f.cache, from: storage)
        #expect(storage.stateReads == 4)
        #expect(try summary(first).pinned == false)
        #expect(try PolicyStore(catalog: f.cache).list().isEmpty)

        // A backup dropped from the cache (its manifest gone) and recorded again when the
        // manifest is back gets its verdict again, though the document did not change.
        let manifest = try #require(try f.repo.storage.get(.manifest(backupID: second)))
        try f.repo.storage.delete(.manifest(backupID: second))
        #expect(try CatalogRebuilder.synchronise(f.cache, from: storage).dropped == [second])
        try f.repo.storage.put(.manifest(backupID: second), manifest, ifAbsent: true)
        #expect(try CatalogRebuilder.synchronise(f.cache, from: storage).added == [second])
        #expect(try summary(second).lastVerdict == .viable)
        #expect(storage.stateReads == 6, "read when the row was dropped and when it was recorded again")
    }
}
