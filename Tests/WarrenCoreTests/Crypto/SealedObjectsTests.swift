import Foundation
import GRDB
import Testing
@testable import WarrenCore

/// Issue 10, slice 2: in an encrypted repository every object is sealed and named by a keyed
/// id; verify --full checks the plain SHA-256 after decrypting; export decrypts on the fly;
/// a flipped byte is a finding naming the file and object, and is never written out.
@Suite struct SealedObjectsTests {
    static let body = "ORDER-4711 ship to jane.doe@example.com, card ending 4242"
    static let passwordHash = "kI2lBUqkHsV7d3Jh5Xbd0t9MBgZ3Nw8pEa0xq2Ck6uTY0v1W"

    /// The standard tree with a known message body in a message store file and a user's
    /// password hash in the definitions.
    static func sensitiveTree(at path: String, seed: UInt64 = 3) throws -> BackupTree {
        let tree = try BackupTree.standard(at: path)
        try tree.rdq(vhost: "shop/eu", segment: 1, bytes: Array(body.utf8) + BackupTree.randomBytes(5000, seed: Int(seed)))
        try tree.definitions(
            vhosts: ["/", "shop/eu"], queues: [("/", "orders", "classic"), ("shop/eu", "emails", "classic")],
            users: "[{\"name\": \"shop\", \"password_hash\": \"\(passwordHash)\", \"hashing_algorithm\": \"rabbit_password_hashing_sha256\", \"tags\": []}]")
        return tree
    }

    struct Fixture {
        let dir = TemporaryDirectory()
        let repo: Repository
        let tree: BackupTree
        let id: Int64

        init() throws {
            repo = try Repository.initialize(
                at: dir.file("repo"), encryption: .password(Password("pw"), parameters: KeyRingTests.cheap))
            tree = try SealedObjectsTests.sensitiveTree(at: dir.file("backup"))
            id = try Registrar(repository: repo).register(RegisterRequest(directory: tree.root, node: "rabbit@a"))
        }

        func reopened() throws -> Repository { try Repository.open(at: repo.path, password: { Password("pw") }) }

        /// (relative path, plain SHA-256) of every stored file of the backup.
        func files() throws -> [(String, ObjectID)] {
            try repo.catalog.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT path, sha256 FROM manifest_file WHERE backup_id = ? ORDER BY path", arguments: [id])
                    .map { ($0["path"], ObjectID(bytes: Array($0["sha256"] as Data))!) }
            }
        }
    }

    @Test func registerVerifyFullAndExportRoundTrip() throws {
        let f = try Fixture()
        let repo = try f.reopened()
        let report = try Verifier(repository: repo).verify(id: f.id, options: VerifyOptions(full: true))
        // The fixture's own warnings (a live copy, password hashes) only; no object finding.
        #expect(report.verdict == .viableWithWarnings && report.errorCount == 0, "\(report.findings)")
        #expect(!report.findings.contains { [.objectCorrupt, .objectMissing, .objectSizeMismatch, .definitionsCorrupt].contains($0.code) })
        #expect(report.checkedObjects > 0)

        // Every object is sealed and named by neither its plain SHA-256 nor anything found in the catalog.
        let names = try FileManager.default.subpathsOfDirectory(atPath: repo.path + "/objects").filter { $0.contains("/") }
        let plainIDs = Set(try f.files().map(\.1.hex))
        #expect(!names.isEmpty && names.allSatisfy { !plainIDs.contains(String($0.split(separator: "/")[1])) }, "\(names)")
        for (path, id) in try f.files() {
            let stored = try Data(contentsOf: URL(fileURLWithPath: repo.objects.path(of: id)))
            let original = try Data(contentsOf: URL(fileURLWithPath: f.tree.msgStores + "/" + path))
            #expect(stored.count == Int(repo.objects.storedSize(ofPlain: Int64(original.count))))
            #expect(stored.prefix(8) != original.prefix(8) || original.count < 8)
        }

        let out = f.dir.file("export")
        let summary = try Exporter(repository: repo).export(id: f.id, to: out)
        #expect(summary.files == (try f.files().count) + 1)
        for (path, _) in try f.files() {
            #expect(FileManager.default.contents(atPath: out + "/msg_stores/" + path) == FileManager.default.contents(atPath: f.tree.msgStores + "/" + path), "\(path)")
        }
        #expect(FileManager.default.contents(atPath: out + "/definitions.json") == FileManager.default.contents(atPath: f.tree.root + "/definitions.json"))
        // A second register deduplicates: nothing added.
        let second = try Registrar(repository: repo).register(RegisterRequest(directory: f.tree.root, node: "rabbit@a"))
        #expect(try CatalogQueries(catalog: repo.catalog).summary(id: second).addedObjects == 0)
    }

    @Test func noKnownBodyOrPasswordHashAnywhereInTheRepository() throws {
        let f = try Fixture()
        // grep -r over the whole repository: objects, manifests, config, keys and the catalog.
        let grep = try run("/bin/sh", ["-c", "grep -rlaF -e '\(Self.body.prefix(20))' -e '\(Self.passwordHash)' '\(f.repo.path)' || true"])
        #expect(grep.isEmpty, "found in: \(grep)")
        // The same grep finds both in the source, so it can fail.
        let control = try run("/bin/sh", ["-c", "grep -rlaF -e '\(Self.body.prefix(20))' -e '\(Self.passwordHash)' '\(f.tree.root)' || true"])
        #expect(control.split(separator: "\n").count == 2, "\(control)")
    }

    @Test func aFlippedByteIsAVerifyFindingAndIsNeverExported() throws {
        let f = try Fixture()
        let repo = try f.reopened()
        let (path, id) = try #require(try f.files().first { $0.0.hasSuffix("1.rdq") })
        let object = repo.objects.path(of: id)
        chmod(object, 0o644)
        let handle = try #require(FileHandle(forUpdatingAtPath: object))
        try handle.seek(toOffset: 100)
        let byte = try #require(try handle.read(upToCount: 1))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data([byte[0] ^ 0x01]))
        try handle.close()

        let report = try Verifier(repository: repo).verify(id: f.id, options: VerifyOptions(full: true))
        #expect(report.verdict == .notViable)
        let finding = try #require(report.findings.first { $0.code == .objectCorrupt })
        #expect(finding.path == path)
        #expect(finding.message.contains(id.short) && finding.message.contains("cannot be decrypted"), "\(finding.message)")

        let out = f.dir.file("export")
        #expect {
            try Exporter(repository: repo).export(id: f.id, to: out)
        } throws: { error in
            guard case let WarrenError.crypto(.decryptionFailed(name, kind, failure)) = error else { return false }
            return name.contains(id.hex) && kind == .file && failure == .authenticationFailed(chunk: 0)
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/msg_stores/" + path), "a tampered object was written out")
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.contains(".warren-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
