import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// `warren copy` (issues 10 and 11): plaintext → encrypted and back, idempotent, atomic per
/// backup, a dry run writes nothing.
@Suite struct BackupCopierTests {
    struct Fixture {
        let dir = TemporaryDirectory()
        let plain: Repository
        let tree: BackupTree
        let id: Int64

        init() throws {
            plain = try Repository.initialize(at: dir.file("plain"))
            tree = try SealedObjectsTests.sensitiveTree(at: dir.file("backup"), seed: 4)
            id = try Registrar(repository: plain).register(RegisterRequest(directory: tree.root, node: "rabbit@a", label: "nightly"))
        }

        func encrypted(_ name: String) throws -> Repository {
            try Repository.initialize(at: dir.file(name), encryption: .password(Password("pw"), parameters: KeyRingTests.cheap))
        }

        /// Exports `id` of `repo` and requires it to equal the registered tree.
        func expectExportEqualsTree(_ repo: Repository, _ id: Int64, _ name: String) throws {
            let out = dir.file(name)
            _ = try Exporter(repository: repo).export(id: id, to: out)
            let files = try FileManager.default.subpathsOfDirectory(atPath: tree.msgStores).filter {
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: tree.msgStores + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
            #expect(!files.isEmpty)
            for path in files {
                #expect(FileManager.default.contents(atPath: out + "/msg_stores/" + path) == FileManager.default.contents(atPath: tree.msgStores + "/" + path), "\(path)")
            }
            #expect(FileManager.default.contents(atPath: out + "/definitions.json") == FileManager.default.contents(atPath: tree.root + "/definitions.json"))
        }
    }

    @Test func plaintextToEncryptedAndBackIdempotent() throws {
        let f = try Fixture()
        let sealed = try f.encrypted("sealed")
        let report = try BackupCopier(source: f.plain, target: sealed).copy(ids: [f.id])
        let entry = try #require(report.backups.first)
        #expect(report.backups.count == 1 && entry.outcome == .copied && entry.source == f.id && entry.objects > 0, "\(report)")
        let copiedID = try #require(entry.target)
        let summary = try CatalogQueries(catalog: sealed.catalog).summary(id: copiedID)
        let original = try CatalogQueries(catalog: f.plain.catalog).summary(id: f.id)
        #expect(summary.state == .complete && summary.node == "rabbit@a" && summary.label == "nightly" && summary.takenAt == original.takenAt)
        #expect(summary.fileCount == original.fileCount && summary.addedObjects == entry.objects)
        // Sealed in the target: no known body, password hash or plain object name anywhere.
        let grep = try run("/bin/sh", ["-c", "grep -rlaF -e '\(SealedObjectsTests.body.prefix(20))' -e '\(SealedObjectsTests.passwordHash)' '\(sealed.path)' || true"])
        #expect(grep.isEmpty, "found in: \(grep)")
        let names = Set(try FileManager.default.subpathsOfDirectory(atPath: sealed.path + "/objects").compactMap { $0.split(separator: "/").dropFirst().first.map(String.init) })
        let plainNames = Set(try FileManager.default.subpathsOfDirectory(atPath: f.plain.path + "/objects").compactMap { $0.split(separator: "/").dropFirst().first.map(String.init) })
        #expect(!names.isEmpty && names.isDisjoint(with: plainNames))
        #expect(try sealed.manifests.read(copiedID).map { try $0.get().files.count } == original.fileCount)
        let verify = try Verifier(repository: sealed).verify(id: copiedID, options: VerifyOptions(full: true))
        #expect(verify.errorCount == 0, "\(verify.findings)")
        try f.expectExportEqualsTree(sealed, copiedID, "out-sealed")

        // Again: skipped, said so, nothing written.
        let again = try BackupCopier(source: f.plain, target: sealed).copy(ids: [f.id])
        #expect(again.backups == [.init(source: f.id, target: copiedID, outcome: .skipped, objects: 0, bytes: 0)])
        #expect(try CatalogQueries(catalog: sealed.catalog).list(node: nil, limit: nil).count == 1)

        // Encrypted → plaintext: decrypted, stored under plain names, whole.
        let back = try Repository.initialize(at: f.dir.file("back"))
        let returned = try BackupCopier(source: sealed, target: back).copy(ids: [copiedID])
        let backID = try #require(returned.backups.first?.target)
        #expect(returned.backups.first?.outcome == .copied)
        let backNames = Set(try FileManager.default.subpathsOfDirectory(atPath: back.path + "/objects").compactMap { $0.split(separator: "/").dropFirst().first.map(String.init) })
        #expect(backNames == plainNames)
        try f.expectExportEqualsTree(back, backID, "out-back")
        #expect(try RepositoryChecker(repository: sealed).check().clean)
        #expect(try RepositoryChecker(repository: back).check().clean)
    }

    @Test func aDryRunWritesNothingAndUnknownIdsCopyNothing() throws {
        let f = try Fixture()
        let sealed = try f.encrypted("sealed")
        let before = try EncryptedRepositoryTests.listing(sealed.path)
        let dry = try BackupCopier(source: f.plain, target: sealed).copy(ids: [f.id], dryRun: true)
        let entry = try #require(dry.backups.first)
        #expect(dry.dryRun && entry.outcome == .wouldCopy && entry.target == nil && entry.objects > 0 && entry.bytes > 0, "\(dry)")
        #expect(try EncryptedRepositoryTests.listing(sealed.path).filter { !$0.key.hasPrefix("catalog.sqlite") } == before.filter { !$0.key.hasPrefix("catalog.sqlite") })
        #expect(try CatalogQueries(catalog: sealed.catalog).list(node: nil, limit: nil).isEmpty)

        #expect(throws: WarrenError.backupNotFound(id: 99)) { try BackupCopier(source: f.plain, target: sealed).copy(ids: [f.id, 99]) }
        #expect(try CatalogQueries(catalog: sealed.catalog).list(node: nil, limit: nil).isEmpty)
        #expect {
            try BackupCopier(source: f.plain, target: f.plain).copy(ids: [f.id])
        } throws: { error in
            guard case WarrenError.invalidArgument(name: "--to", _) = error else { return false }
            return true
        }
    }

    @Test func aTamperedSourceObjectCopiesNothingAndLeavesNoObjects() throws {
        let f = try Fixture()
        let sealed = try f.encrypted("sealed")
        let copied = try #require(try BackupCopier(source: f.plain, target: sealed).copy(ids: [f.id]).backups.first?.target)
        // Flip a byte of one sealed object of the encrypted copy, then copy it into a new repository.
        let file = try #require(try sealed.catalog.reader.read { db in
            try Data.fetchOne(db, sql: "SELECT sha256 FROM manifest_file WHERE backup_id = ? ORDER BY size DESC LIMIT 1", arguments: [copied])
        })
        let path = sealed.objects.path(of: try #require(ObjectID(bytes: Array(file))))
        chmod(path, 0o600)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 64)
        let byte = try #require(try handle.read(upToCount: 1))
        try handle.seek(toOffset: 64)
        try handle.write(contentsOf: Data([byte[0] ^ 0x01]))
        try handle.close()

        let target = try Repository.initialize(at: f.dir.file("target"))
        #expect {
            try BackupCopier(source: sealed, target: target).copy(ids: [copied])
        } throws: { error in
            guard case WarrenError.crypto(.decryptionFailed(_, .file, _)) = error else { return false }
            return true
        }
        let rows = try CatalogQueries(catalog: target.catalog).list(node: nil, limit: nil)
        #expect(rows.count == 1 && rows.first?.state == .failed, "\(rows)")
        let objects = try FileManager.default.subpathsOfDirectory(atPath: target.path + "/objects").filter { $0.contains("/") }
        #expect(objects.isEmpty, "\(objects)")
        #expect(try target.manifests.manifestIDs().isEmpty)
    }
}
