import Foundation
import Testing
@testable import WarrenCore

/// Issue 10: the objects a killed writer left in an encrypted repository (stored, never
/// recorded, so no catalog row maps their keyed names back) are found and removed by gc.
@Suite struct SealedOrphanTests {
    typealias Fixture = SealedObjectsTests.Fixture

    /// An object a killed register stored but never recorded cannot be
    /// mapped back through the catalog (its name is keyed); gc opens it, finds it is one of
    /// the repository's objects, and removes it. A foreign file there is left and reported.
    @Test func gcRemovesAnUnrecordedObjectAndLeavesAForeignFile() throws {
        let f = try Fixture()
        let repo = try f.reopened()
        let orphan = Array("written by a register that was killed before its transaction".utf8) + BackupTree.randomBytes(3000, seed: 9)
        let stored = try orphan.withUnsafeBytes { try repo.objects.store($0) }
        #expect(stored.written)
        let orphanPath = repo.objects.path(of: stored.id)
        let foreign = repo.objects.objectsPath + "/ab/ab" + String(repeating: "0", count: 62)
        FileManager.default.createFile(atPath: foreign, contents: Data("not an object".utf8))

        let dry = try GarbageCollector.dryRun(in: try ReadOnlyRepository.openForDryRun(at: repo.path, password: { Password("pw") }))
        #expect(dry.freedObjects == 1 && dry.freedBytes == Int64(orphan.count) && dry.unexpectedFiles == [foreign], "\(dry)")
        let report = try GarbageCollector(repository: repo).collect()
        #expect(report.freedObjects == 1 && report.unexpectedFiles == [foreign], "\(report)")
        #expect(!FileManager.default.fileExists(atPath: orphanPath) && FileManager.default.fileExists(atPath: foreign))
        // The backup's own objects are untouched.
        let verify = try Verifier(repository: repo).verify(id: f.id, options: VerifyOptions(full: true))
        #expect(verify.errorCount == 0, "\(verify.findings)")
    }

}
