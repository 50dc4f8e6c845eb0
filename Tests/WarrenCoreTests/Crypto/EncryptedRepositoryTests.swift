import Foundation
import Testing
@testable import WarrenCore

/// Issue 10, slice 1: `init` with a password records `encryption: aes-256-gcm` in the
/// config and creates `keys/`; opening asks for a password only when one is needed, and a
/// missing or wrong one is refused before the catalog is touched.
@Suite struct EncryptedRepositoryTests {
    static func encrypted(_ password: String = "correct horse") -> EncryptionSetup {
        .password(Password(password), parameters: KeyRingTests.cheap)
    }

    @Test func initWithAPasswordRecordsTheEncryptionAndOneKey() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("repo")
        let created = try Repository.initialize(at: path, encryption: Self.encrypted())
        #expect(created.encryption == .aes256GCM)
        let ring = try #require(created.keyRing)
        #expect(try created.keys.names() == [ring.keyID])
        #expect(try dir.mode("repo/keys") == 0o700)
        let config = try #require(try RepositoryConfig.load(from: created.storage))
        #expect(config.encryption == .aes256GCM)
        #expect(config.keyFingerprint == ring.master.fingerprint)
        // The config is plaintext and says so; it holds nothing of the key.
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + "/config")), as: UTF8.self)
        #expect(text.hasPrefix("warren-config v1 ") && text.contains("\"encryption\":\"aes-256-gcm\""), "\(text)")

        let opened = try Repository.open(at: path, password: { Password("correct horse") })
        #expect(opened.encryption == .aes256GCM)
        #expect(opened.keyRing?.master.bytes == ring.master.bytes)
    }

    @Test func aPlaintextRepositoryNeverAsksForAPassword() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("repo")
        let created = try Repository.initialize(at: path)
        #expect(created.encryption == .unencrypted && created.keyRing == nil)
        #expect(try RepositoryConfig.load(from: created.storage)?.encryption == .unencrypted)
        #expect(try Posix.lstatIfExists(path + "/keys") == nil)
        let opened = try Repository.open(at: path, password: { Issue.record("asked for a password"); return Password("x") })
        #expect(opened.encryption == .unencrypted && opened.keyRing == nil)
    }

    @Test func aMissingOrWrongPasswordIsRefusedAndWritesNothing() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("repo")
        _ = try Repository.initialize(at: path, encryption: Self.encrypted())
        let before = try Self.listing(path)
        #expect(throws: WarrenError.crypto(.noPasswordSource)) { try Repository.open(at: path) }
        #expect(throws: WarrenError.crypto(.wrongPassword(keyCount: 1))) {
            try Repository.open(at: path, password: { Password("wrong") })
        }
        #expect(try Self.listing(path) == before)
    }

    @Test func twoKeysEitherOpensAndARemovedOneNoLonger() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("repo")
        let first = try #require(try Repository.initialize(at: path, encryption: Self.encrypted("one")).keyRing)
        let second = try first.add(password: Password("two"), parameters: KeyRingTests.cheap)
        let viaTwo = try #require(try Repository.open(at: path, password: { Password("two") }).keyRing)
        #expect(viaTwo.keyID == second && viaTwo.master.bytes == first.master.bytes)
        #expect(try Repository.open(at: path, password: { Password("one") }).keyRing?.keyID == first.keyID)
        // The key in use cannot remove itself; the other can.
        #expect(throws: WarrenError.crypto(.keyInUse(id: second))) { try viaTwo.remove(id: second) }
        #expect(try viaTwo.remove(id: String(first.keyID.prefix(8))) == first.keyID)
        #expect(throws: WarrenError.crypto(.wrongPassword(keyCount: 1))) {
            try Repository.open(at: path, password: { Password("one") })
        }
        #expect(throws: WarrenError.crypto(.lastKey(id: second))) { try viaTwo.remove(id: second) }
    }

    @Test func aLostConfigBesideKeysIsRefusedNotTakenForPlaintext() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("repo")
        _ = try Repository.initialize(at: path, encryption: Self.encrypted())
        #expect(unlink(path + "/config") == 0)
        #expect(throws: WarrenError.crypto(.configMissing(location: path + "/config", keyCount: 1))) {
            try Repository.open(at: path, password: { Password("correct horse") })
        }
    }

    @Test func aKeyFileOfAnotherRepositoryIsRefused() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("repo"), other = dir.file("other")
        _ = try Repository.initialize(at: path, encryption: Self.encrypted())
        let foreign = try #require(try Repository.initialize(at: other, encryption: Self.encrypted("intruder")).keyRing)
        let key = try Data(contentsOf: URL(fileURLWithPath: other + "/keys/" + foreign.keyID))
        try StorageKeyFiles(storage: LocalDirectoryStorage(root: path)).create(foreign.keyID, contents: key)
        let fingerprint = try #require(try RepositoryConfig.load(from: LocalDirectoryStorage(root: path))?.keyFingerprint)
        #expect(throws: WarrenError.crypto(.foreignKey(name: foreign.keyID, fingerprint: foreign.master.fingerprint, expected: fingerprint))) {
            try Repository.open(at: path, password: { Password("intruder") })
        }
    }

    /// Every path under `root` with its size and modification time.
    static func listing(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + relative)
            result[relative] = "\(attributes[.size] ?? 0) \((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }
        return result
    }
}
