import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// Issue 10, slice 3: in an encrypted repository every document (manifests, tombstones,
/// pins, verdicts, policies) is sealed, bound to its name; check, verify, catalog rebuild
/// and gc read them through ``SealedDocumentStorage``; a flipped byte in a sealed manifest is
/// a finding naming the backup.
@Suite struct SealedDocumentsTests {
    typealias Fixture = SealedObjectsTests.Fixture
    static let note = "PIN-NOTE-keep-for-the-auditors"

    /// Every document under manifests/, tombstones/ and state/ of `root`, relative.
    static func documents(_ root: String) throws -> [String] {
        try ["manifests", "tombstones", "state"].flatMap { top -> [String] in
            guard FileManager.default.fileExists(atPath: root + "/" + top) else { return [] }
            return try FileManager.default.subpathsOfDirectory(atPath: root + "/" + top).map { top + "/" + $0 }
        }.filter { path in
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &directory) && !directory.boolValue
        }.sorted()
    }

    /// A pin with a note, a node's policy and a verdict: one state document of each kind.
    static func addState(_ repo: Repository, id: Int64) throws {
        try Pinning(repository: repo).pin(id: id, note: Self.note)
        try PolicyStore(repository: repo).set(RetentionPolicy(keepDaily: 7), node: "rabbit@a")
        _ = try Verifier(repository: repo).verify(id: id)
    }

    /// What grep must not find outside the catalog (the documented plaintext cache): the
    /// plain SHA-256 of every stored file (the manifest records them), the node, a queue and
    /// the pin's note.
    static func needles(_ f: Fixture) throws -> [String] {
        let definitions = try #require(try CatalogQueries(catalog: f.repo.catalog).summary(id: f.id).definitionsSha256)
        return try f.files().map(\.1.hex) + [definitions.hex, "rabbit@a", "emails", Self.note]
    }

    static func grep(_ needles: [String], in root: String) throws -> String {
        let patterns = needles.map { "-e '\($0)'" }.joined(separator: " ")
        return try run("/bin/sh", ["-c", "grep -rlaF --exclude='catalog.sqlite*' \(patterns) '\(root)' || true"])
    }

    @Test func everyDocumentIsSealedAndNothingOfTheBackupIsReadableOutsideTheCatalog() throws {
        let f = try Fixture()
        let repo = try f.reopened()
        try Self.addState(repo, id: f.id)
        let documents = try Self.documents(repo.path)
        #expect(documents.contains("manifests/" + String(format: "%020lld", f.id)), "\(documents)")
        #expect(documents.contains { $0.hasPrefix("state/pins/") } && documents.contains { $0.hasPrefix("state/verdicts/") }
            && documents.contains { $0.hasPrefix("state/policies/") }, "\(documents)")
        for document in documents {
            let bytes = try #require(FileManager.default.contents(atPath: repo.path + "/" + document))
            #expect(bytes.prefix(4) == Data("WRNS".utf8), "\(document) is not sealed")
        }
        // Config stays plaintext (it says a password is needed); key files are sealed by scrypt.
        #expect(FileManager.default.contents(atPath: repo.path + "/config")?.prefix(14) == Data("warren-config ".utf8))
        let found = try Self.grep(try Self.needles(f), in: repo.path)
        #expect(found.isEmpty, "found in: \(found)")
        // Read back through the one decrypting path: the manifest names every file.
        let manifest = try #require(try repo.manifests.read(f.id)).get()
        #expect(Set(manifest.files.map(\.sha256)) == Set(try f.files().map(\.1.hex)))

        // The same grep over a plaintext repository with the same backup and state finds
        // them in its manifests and state documents, so it can fail.
        let plain = try Repository.initialize(at: f.dir.file("plain"))
        let plainID = try Registrar(repository: plain).register(RegisterRequest(directory: f.tree.root, node: "rabbit@a"))
        try Self.addState(plain, id: plainID)
        let control = try Self.grep(try Self.needles(f), in: plain.path)
        #expect(control.contains("/manifests/") && control.contains("/state/pins/") && control.contains("/state/policies/"), "\(control)")
    }

    @Test func aFlippedByteInASealedManifestIsAFindingNamingTheBackupNeverACrash() throws {
        let f = try Fixture()
        let repo = try f.reopened()
        let name = repo.path + "/manifests/" + String(format: "%020lld", f.id)
        try flipByte(in: name, at: 60)

        let store = repo.manifests
        guard case .failure(let damage)? = try store.read(f.id) else {
            Issue.record("a tampered manifest was read")
            return
        }
        #expect(damage.backupID == f.id && damage.reason.contains("cannot be decrypted") && damage.reason.contains("fails authentication"), "\(damage)")
        // verify: a manifest finding (the restore reads the catalog).
        let report = try Verifier(repository: repo).verify(id: f.id)
        #expect(report.findings.contains { $0.code == .manifestDamaged && $0.message.contains("backup \(f.id)") }, "\(report.findings)")
        // check --dry-run reports it, naming the backup; check rewrites it sealed from the catalog.
        let dry = try RepositoryChecker.dryRun(in: try ReadOnlyRepository.openForDryRun(at: repo.path, password: { Password("pw") }))
        let finding = try #require(dry.findings.first { $0.code == "manifest_damaged" }, "\(dry.findings)")
        #expect(finding.backup == f.id && finding.message.contains("cannot be decrypted") && !finding.fixed)
        let repaired = try RepositoryChecker(repository: repo).check()
        #expect(repaired.findings.contains { $0.code == "manifest_damaged" && $0.fixed }, "\(repaired.findings)")
        #expect(FileManager.default.contents(atPath: name)?.prefix(4) == Data("WRNS".utf8))
        #expect(try RepositoryChecker(repository: repo).check().findings.filter { $0.code.hasPrefix("manifest") }.isEmpty)

        // A sealed manifest moved to another backup's name does not open there either.
        let second = try Registrar(repository: repo).register(RegisterRequest(directory: f.tree.root, node: "rabbit@b"))
        let other = repo.path + "/manifests/" + String(format: "%020lld", second)
        chmod(other, 0o600)
        try FileManager.default.removeItem(atPath: other)
        try FileManager.default.copyItem(atPath: name, toPath: other)
        guard case .failure(let moved)? = try repo.manifests.read(second) else {
            Issue.record("a manifest moved to another name was read")
            return
        }
        #expect(moved.backupID == second && moved.reason.contains("fails authentication"), "\(moved)")
    }

    @Test func catalogRebuildReadsSealedManifestsAndStateAndNeedsThePassword() throws {
        let f = try Fixture()
        let repo = try f.reopened()
        try Self.addState(repo, id: f.id)
        let before = try CatalogQueries(catalog: repo.catalog).summary(id: f.id)
        let policies = try PolicyStore(catalog: repo.catalog).list()
        try repo.catalog.closeConnections()
        for suffix in ["", "-wal", "-shm"] { unlink(repo.path + "/catalog.sqlite" + suffix) }

        let rebuilder = CatalogRebuilder(repositoryPath: repo.path)
        #expect(throws: WarrenError.crypto(.noPasswordSource)) { try rebuilder.rebuild() }
        #expect(throws: WarrenError.crypto(.wrongPassword(keyCount: 1))) { try rebuilder.rebuild(password: { Password("wrong") }) }
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/catalog.sqlite"), "a refused rebuild wrote a catalog")
        let report = try rebuilder.rebuild(password: { Password("pw") })
        #expect(report.backups == 1 && report.unreadable.isEmpty, "\(report)")
        let rebuilt = try Repository.open(at: repo.path, password: { Password("pw") })
        let after = try CatalogQueries(catalog: rebuilt.catalog).summary(id: f.id)
        #expect(after.pinned && after.pinNote == Self.note && after.lastVerdict == before.lastVerdict && after.lastVerdict != nil)
        #expect(try PolicyStore(catalog: rebuilt.catalog).list() == policies)
    }

    @Test func aDeletionsTombstoneIsSealedAndPruneAndForgetFinishThroughIt() throws {
        let f = try Fixture()
        let repo = try f.reopened()
        let second = try Registrar(repository: repo).register(RegisterRequest(directory: f.tree.root, node: "rabbit@a"))
        try repo.manifests.writeTombstones([second])
        let tombstone = repo.path + "/tombstones/" + String(format: "%020lld", second)
        #expect(FileManager.default.contents(atPath: tombstone)?.prefix(4) == Data("WRNS".utf8))
        // A tombstone of a backup still in the catalog: check keeps the backup, removes the tombstone.
        let checked = try RepositoryChecker(repository: repo).check()
        #expect(checked.findings.contains { $0.code == "deletion_cancelled" && $0.backup == second && $0.fixed }, "\(checked.findings)")
        _ = try Forgetter(repository: repo).forget(ids: [second], force: true)
        #expect(try Self.documents(repo.path).filter { $0.hasSuffix(String(format: "%020lld", second)) }.isEmpty)
    }

    @Test func plaintextStateIsNeverWrittenIntoAnEncryptedRepository() throws {
        let f = try Fixture()
        #expect {
            try Pinning(catalog: f.repo.catalog).pin(id: f.id, note: nil)
        } throws: { error in
            guard case let WarrenError.stepFailed(_, detail) = error else { return false }
            return detail.contains("encrypted")
        }
        #expect(!FileManager.default.fileExists(atPath: f.repo.path + "/state/pins/" + String(format: "%020lld", f.id)))
    }

    func flipByte(in path: String, at offset: UInt64) throws {
        chmod(path, 0o600)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: offset)
        let byte = try #require(try handle.read(upToCount: 1))
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data([byte[0] ^ 0x01]))
        try handle.close()
    }
}
