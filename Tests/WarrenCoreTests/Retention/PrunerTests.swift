import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// `Pruner` on real catalogs: registered backups (with `takenAt`) over two years and two
/// nodes, stored policies, dedup-aware freeing, and deletion interrupted after the catalog
/// transaction.
@Suite struct PrunerTests {
    /// Times of RetentionPolicyTests.nodeA and nodeB (hand-computed there).
    static let timesA = RetentionPolicyTests.nodeA.map { UTCCalendar.format($0.takenAt) }
    static let timesB = RetentionPolicyTests.nodeB.map { UTCCalendar.format($0.takenAt) }

    @Test func catalogPruneFollowsThePolicyPerNode() throws {
        let f = try RetentionFixture()
        var byTime: [String: Int64] = [:]
        for time in Self.timesA { byTime["a " + time] = try f.register(node: "rabbit@a", at: time, unique: 3000) }
        for time in Self.timesB { byTime["b " + time] = try f.register(node: "rabbit@b", at: time, unique: 3000) }
        let policy = RetentionPolicy(keepLast: 2, keepWeekly: 3)
        // A: last 17, 16; weekly W49 (17), W24 (11), 2025-W02 (10). B: last 106, 105; weekly W50 (106), W49 (104), 2025-W01 (103).
        let expected = Set(["a 2025-12-03T08:00:00Z", "a 2025-12-02T20:00:00Z", "a 2025-06-15T08:00:00Z", "a 2025-01-06T09:00:00Z",
                            "b 2025-12-10T11:00:00Z", "b 2025-12-10T10:00:00Z", "b 2025-12-05T10:00:00Z", "b 2025-01-01T00:00:00Z"]
            .map { byTime[$0]! })

        let plan = try Pruner(repository: f.repo).prune(PruneRequest(policy: policy, dryRun: true))
        #expect(Set(plan.backups.filter(\.keep).map(\.id)) == expected)
        #expect(plan.policies.map(\.node) == ["rabbit@a", "rabbit@b"] && plan.policies.allSatisfy { $0.source == .flags })
        let removedUnique = try plan.removedIDs.map { try f.uniqueObject(of: $0) }
        #expect(plan.freedObjects == removedUnique.count && plan.freedBytes == Int64(3000 * removedUnique.count))

        let done = try Pruner(repository: f.repo).prune(PruneRequest(policy: policy))
        #expect(done.backups == plan.backups)
        #expect(Set(try f.backupIDs()) == expected)
        #expect(done.freedObjects == plan.freedObjects && done.freedBytes == plan.freedBytes)
        #expect(removedUnique.allSatisfy { !f.exists($0) })
        #expect(try f.verifyAll().values.allSatisfy { $0 != .notViable })
        #expect(try RepositoryChecker(repository: f.repo).check().clean)
    }

    @Test func refusesWithoutAPolicyAndUsesStoredOnes() throws {
        let f = try RetentionFixture()
        for time in Self.timesA.suffix(4) { try f.register(node: "rabbit@a", at: time) }
        for time in Self.timesB.suffix(3) { try f.register(node: "rabbit@b", at: time) }
        let before = try f.backupIDs()
        let refusal = WarrenError.invalidArgument(name: "prune", reason: "no --keep-* flag given and no stored or configured policy (see `warren policy set`); refusing, since prune never means \"delete everything\"")
        #expect(throws: refusal) { try Pruner(repository: f.repo).prune(PruneRequest()) }
        #expect(throws: refusal) { try Pruner(repository: f.repo).prune(PruneRequest(policy: RetentionPolicy(), dryRun: true)) }
        #expect(try f.backupIDs() == before)

        let store = PolicyStore(catalog: f.repo.catalog)
        try store.set(RetentionPolicy(keepLast: 1), node: "rabbit@a")
        // Only node A has a policy: B keeps everything; asking for B alone is refused.
        var report = try Pruner(repository: f.repo).prune(PruneRequest(dryRun: true))
        #expect(report.policies.map(\.source) == [.node, .none])
        #expect(report.backups.filter { $0.node == "rabbit@b" }.allSatisfy { $0.keep && $0.reasons.first == "no policy" })
        #expect(report.removedCount == 3)
        #expect(throws: WarrenError.invalidArgument(name: "prune", reason: "no --keep-* flag given and no stored or configured policy for node rabbit@b (nor a default); refusing, since prune never means \"delete everything\"")) {
            try Pruner(repository: f.repo).prune(PruneRequest(node: "rabbit@b", dryRun: true))
        }

        try store.set(RetentionPolicy(keepLast: 2), node: nil)
        report = try Pruner(repository: f.repo).prune(PruneRequest(node: "rabbit@b"))
        #expect(report.policies == [AppliedPolicy(node: "rabbit@b", source: .default, policy: RetentionPolicy(keepLast: 2))])
        #expect(report.removedCount == 1 && report.backups.allSatisfy { $0.node == "rabbit@b" })
        #expect(try f.backupIDs().count == before.count - 1, "node A untouched by --node rabbit@b")
        // Flags win over stored policies.
        report = try Pruner(repository: f.repo).prune(PruneRequest(policy: RetentionPolicy(keepLast: 4), dryRun: true))
        #expect(report.policies.allSatisfy { $0.source == .flags } && report.removedCount == 0)
        #expect(try store.unset(node: "rabbit@a") && !(try store.unset(node: "rabbit@a")))
        #expect(try store.list().map(\.node) == [nil])
    }

    @Test func freesOnlyObjectsNoKeptBackupReferences() throws {
        let f = try RetentionFixture()
        let old = try f.register(at: "2025-01-01T00:00:00Z", unique: 7000, seed: 1)
        let sharedWithNew = try f.register(at: "2025-01-02T00:00:00Z", unique: 9000, seed: 2)
        let new = try f.register(at: "2025-01-03T00:00:00Z", unique: 9000, seed: 2)    // same content as the second
        let before = try f.objectFiles()
        let oldUnique = try f.uniqueObjectHex(old)
        let plan = try Pruner(repository: f.repo).prune(PruneRequest(policy: RetentionPolicy(keepLast: 1), dryRun: true))
        #expect(plan.removedIDs.sorted() == [old, sharedWithNew])
        #expect(plan.freedObjects == 1 && plan.freedBytes == 7000, "only the oldest's own rdq; the standard tree and seed-2 file stay")

        let done = try Pruner(repository: f.repo).prune(PruneRequest(policy: RetentionPolicy(keepLast: 1)))
        #expect(done.freedObjects == 1 && done.freedBytes == 7000)
        let gone = before.subtracting(try f.objectFiles())
        #expect(gone == [oldUnique])
        #expect(f.exists(try f.uniqueObject(of: new)))
        #expect(try f.verifyAll() == [new: .viableWithWarnings])
        #expect(try f.count("SELECT COUNT(*) FROM object") == (try f.objectFiles()).count)
    }

    @Test func deletionInterruptedAfterTheCatalogCommitIsFinishedLater() throws {
        let f = try RetentionFixture()
        let old = try f.register(at: "2025-01-01T00:00:00Z", seed: 11)
        let kept = try f.register(at: "2025-01-02T00:00:00Z", seed: 12)
        let orphan = try f.uniqueObject(of: old)
        // The tombstone and catalog transaction of a prune, then a crash before any file is deleted.
        try f.repo.manifests.writeTombstones([old])
        try f.repo.catalog.write { db in _ = try BackupDeleter.remove([old], cause: .prune, in: db) }
        #expect(f.exists(orphan))
        #expect(try f.count("SELECT COUNT(*) FROM object_deletion") == 1)

        let found = try RepositoryChecker(repository: f.repo).check(repair: false)
        #expect(!found.clean)
        #expect(Set(found.findings.map(\.code)) == ["deletion_interrupted", "objects_unreferenced", "deletion_unfinished"])
        #expect(!found.findings.contains { $0.severity == .error }, "nothing a remaining backup needs is missing")

        let report = try Pruner(repository: f.repo).prune(PruneRequest(policy: RetentionPolicy(keepLast: 5)))
        #expect(report.removedCount == 0 && report.freedObjects == 1 && report.freedBytes == 5000)
        #expect(!f.exists(orphan))
        #expect(try f.count("SELECT COUNT(*) FROM object_deletion") == 0)
        #expect(try f.repo.manifests.manifestIDs() == [kept] && f.repo.manifests.tombstoneIDs().isEmpty)
        #expect(try RepositoryChecker(repository: f.repo).check().clean)
        #expect(try f.verifyAll() == [kept: .viableWithWarnings])
    }
}

extension RetentionFixture {
    func uniqueObjectHex(_ id: Int64) throws -> String {
        let hex = try uniqueObject(of: id).hex
        return String(hex.prefix(2)) + "/" + hex
    }
}
