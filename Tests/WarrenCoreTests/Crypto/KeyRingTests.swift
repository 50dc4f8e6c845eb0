import Foundation
import Testing
@testable import WarrenCore

@Suite struct KeyRingTests {
    /// Cheap scrypt for tests (1 MiB); real keys use ``ScryptParameters/standard``.
    static let cheap = ScryptParameters(n: 1 << 10, r: 8, p: 1)
    static let owner = KeyOwner(host: "mq1.example", user: "backup")

    struct Fixture {
        let dir = TemporaryDirectory()
        var keys: KeyDirectory { KeyDirectory(path: dir.file("keys")) }

        func create(_ password: String = "first password") throws -> KeyRing {
            try KeyRing.create(in: keys, password: Password(password), parameters: cheap, owner: owner)
        }

        func open(_ password: String, expectedFingerprint: String? = nil) throws -> KeyRing {
            try KeyRing.open(keys, password: Password(password), expectedFingerprint: expectedFingerprint)
        }

        func file(_ id: String) -> String { dir.file("keys/" + id) }

        func rewrite(_ id: String, _ change: (inout [String: Any]) -> Void) throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: file(id)))
            var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            change(&json)
            chmod(file(id), 0o600)
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: file(id)))
        }
    }

    @Test func createWritesOnePrivateKeyFileThatOpensWithItsPassword() throws {
        let f = Fixture()
        let ring = try f.create()
        #expect(try f.keys.names() == [ring.keyID])
        #expect(try f.dir.mode("keys") == 0o700)
        #expect(try f.dir.mode("keys/" + ring.keyID) == 0o400)
        let opened = try f.open("first password")
        #expect(opened.keyID == ring.keyID)
        #expect(opened.master.bytes == ring.master.bytes)
        #expect(opened.master.fingerprint == ring.master.fingerprint)

        // The key file records its parameters, salt, time, host and user, and holds neither
        // the password nor the master key in the clear.
        let data = try Data(contentsOf: URL(fileURLWithPath: f.file(ring.keyID)))
        #expect(KeyFile.id(of: data) == ring.keyID)
        let file = try KeyFile.decode(data, name: ring.keyID)
        #expect(file.format == "warren-key" && file.version == 1)
        #expect(file.kdf.scrypt == Self.cheap && file.kdf.name == "scrypt")
        #expect(Data(base64Encoded: file.kdf.salt)?.count == 32)
        #expect(file.host == "mq1.example" && file.user == "backup")
        #expect(Timestamp.parse(file.createdAt) != nil)
        #expect(file.algorithm == "aes-256-gcm")
        #expect(file.keyFingerprint == ring.master.fingerprint)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("first password"))
        #expect(!text.contains(Data(ring.master.bytes).base64EncodedString()))
        #expect(!data.contains(Data(ring.master.bytes)))
    }

    @Test func wrongPasswordIsOneErrorThatSaysNothingAboutWhy() throws {
        let f = Fixture()
        let ring = try f.create()
        #expect(throws: WarrenError.crypto(.wrongPassword(keyCount: 1))) { try f.open("first passworD") }
        try ring.add(password: Password("second"), parameters: Self.cheap, owner: Self.owner)
        do {
            _ = try f.open("neither")
            Issue.record("opened with a wrong password")
        } catch let error as WarrenError {
            #expect(error == .crypto(.wrongPassword(keyCount: 2)))
            #expect(error.exitCode == 2)
            #expect(error.code == "wrong_password")
            #expect(error.description == "wrong password: it opens none of the repository's 2 keys; nothing was read or written. Check the password file or command (or the key list with another password)")
        }
        #expect(throws: WarrenError.crypto(.emptyPassword(source: "the password given"))) { try f.open("") }
    }

    @Test func noKeysAndASecondCreateAreRefused() throws {
        let f = Fixture()
        #expect(throws: WarrenError.crypto(.noKeys(location: f.keys.location))) { try f.open("x") }
        _ = try f.create()
        #expect(throws: WarrenError.crypto(.keyRingExists(location: f.keys.location, count: 1))) { try f.create("other") }
        #expect(try f.keys.names().count == 1)
    }

    @Test func twoKeysEitherOpensAndRemovingOneLocksItsPasswordOut() throws {
        let f = Fixture()
        let first = try f.create()
        let secondID = try first.add(password: Password("second"), parameters: Self.cheap, owner: Self.owner)
        #expect(try f.keys.names().sorted() == [first.keyID, secondID].sorted())
        let viaSecond = try f.open("second")
        #expect(viaSecond.keyID == secondID)
        #expect(viaSecond.master.bytes == first.master.bytes)

        let listed = try first.list()
        #expect(listed.count == 2)
        #expect(listed.first { $0.id == first.keyID }?.current == true)
        #expect(listed.first { $0.id == secondID }?.current == false)
        #expect(listed.allSatisfy { $0.kdf == "scrypt N=1024 r=8 p=1" && $0.problem == nil && $0.host == "mq1.example" })

        #expect(try first.remove(id: String(secondID.prefix(8))) == secondID)
        #expect(throws: WarrenError.crypto(.wrongPassword(keyCount: 1))) { try f.open("second") }
        #expect(try f.open("first password").keyID == first.keyID)
    }

    @Test func theLastKeyAndTheKeyInUseAreNeverRemoved() throws {
        let f = Fixture()
        let ring = try f.create()
        #expect(throws: WarrenError.crypto(.lastKey(id: ring.keyID))) { try ring.remove(id: ring.keyID) }
        do {
            try ring.remove(id: ring.keyID)
        } catch let error as WarrenError {
            #expect(error.exitCode == 9)
        }
        let secondID = try ring.add(password: Password("second"), parameters: Self.cheap, owner: Self.owner)
        #expect(throws: WarrenError.crypto(.keyInUse(id: ring.keyID))) { try ring.remove(id: ring.keyID) }
        #expect(try f.keys.names().count == 2)
        // With the other key's password, the first can go; then the second is the last.
        let second = try f.open("second")
        try second.remove(id: ring.keyID)
        #expect(throws: WarrenError.crypto(.lastKey(id: secondID))) { try second.remove(id: secondID) }
        #expect(try f.keys.names() == [secondID])
    }

    @Test func keyIDsResolveByUniquePrefix() throws {
        let names = ["abcd" + String(repeating: "0", count: 60), "abcd" + String(repeating: "1", count: 60), "ef" + String(repeating: "2", count: 62)]
        #expect(try KeyRing.resolve("ef22", among: names) == names[2])
        #expect(try KeyRing.resolve(names[0].uppercased(), among: names) == names[0])
        #expect(throws: WarrenError.crypto(.keyIDAmbiguous(prefix: "abcd", matches: ["abcd00000000", "abcd11111111"]))) {
            try KeyRing.resolve("abcd", among: names)
        }
        #expect(throws: WarrenError.crypto(.keyNotFound(id: "ef2"))) { try KeyRing.resolve("ef2", among: names) }
        #expect(throws: WarrenError.crypto(.keyNotFound(id: "0123"))) { try KeyRing.resolve("0123", among: names) }
        do {
            _ = try KeyRing.resolve("0123", among: names)
        } catch let error as WarrenError {
            #expect(error.exitCode == 3)
        }
    }

    @Test func changingThePasswordRewritesOnlyTheKeyFile() throws {
        let f = Fixture()
        let ring = try f.create("old")
        let cipher = ring.master.cipher()
        let document = cipher.seal(Array("a state document".utf8), kind: .state, name: Array("state/pins".utf8))
        let changed = try ring.changePassword(to: Password("new"), parameters: Self.cheap, owner: Self.owner)
        #expect(try f.keys.names() == [changed.keyID])
        #expect(changed.keyID != ring.keyID)
        #expect(throws: WarrenError.crypto(.wrongPassword(keyCount: 1))) { try f.open("old") }
        let reopened = try f.open("new")
        #expect(try reopened.master.cipher().open(document, kind: .state, name: Array("state/pins".utf8)) == Array("a state document".utf8))
    }

    @Test func anEditedFieldMakesTheKeyFileFailLikeAWrongPassword() throws {
        let f = Fixture()
        let ring = try f.create()
        for (field, value) in [("host", "evil" as Any), ("user", "root"), ("created_at", "2020-01-01T00:00:00Z"), ("key_fingerprint", String(repeating: "0", count: 32))] {
            let g = Fixture()
            let other = try g.create()
            try g.rewrite(other.keyID) { $0[field] = value }
            #expect(throws: WarrenError.crypto(.wrongPassword(keyCount: 1)), "edited \(field)") { try g.open("first password") }
        }
        // Weaker scrypt parameters: the password derives another key, so it fails too.
        try f.rewrite(ring.keyID) { json in
            var kdf = json["kdf"] as! [String: Any]
            kdf["n"] = 512
            json["kdf"] = kdf
        }
        #expect(throws: WarrenError.crypto(.wrongPassword(keyCount: 1))) { try f.open("first password") }
    }

    @Test func damagedKeyFilesAreNamedAndSkipped() throws {
        let f = Fixture()
        let ring = try f.create()
        let garbage = String(repeating: "a", count: 64)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: f.file(garbage)))
        let listed = try KeyRing.list(f.keys)
        #expect(listed.first { $0.id == garbage }?.problem == "it is not a Warren key file (malformed JSON)")
        #expect(try f.open("first password").keyID == ring.keyID)  // the good key still opens
        #expect(throws: WarrenError.crypto(.wrongPassword(keyCount: 1))) { try f.open("wrong") }

        // Only damaged files: the damage is the error, not "wrong password".
        let g = Fixture()
        let only = try g.create()
        try g.rewrite(only.keyID) { $0["version"] = 2 }
        #expect(throws: WarrenError.crypto(.keyFileInvalid(name: only.keyID, reason: "it has version 2, written by a newer Warren; upgrade warren"))) {
            try g.open("first password")
        }
        try g.rewrite(only.keyID) { json in
            json["version"] = 1
            var kdf = json["kdf"] as! [String: Any]
            kdf["n"] = 1 << 22
            json["kdf"] = kdf
        }
        #expect(throws: WarrenError.crypto(.keyFileInvalid(name: only.keyID, reason: "its scrypt parameters are refused: they need 4096 MiB, more than the 1 GiB limit"))) {
            try g.open("first password")
        }
        try g.rewrite(only.keyID) { $0.removeValue(forKey: "nonce") }
        #expect(throws: WarrenError.crypto(.keyFileInvalid(name: only.keyID, reason: "it is not a Warren key file (missing field \"nonce\")"))) {
            try g.open("first password")
        }
    }

    @Test func aKeyFileOfAnotherRepositoryIsRefusedWhenTheFingerprintIsKnown() throws {
        let ours = Fixture()
        let ring = try ours.create()
        let theirs = Fixture()
        let foreign = try theirs.create("shared password")
        try ours.keys.create(foreign.keyID, contents: try theirs.keys.read(foreign.keyID))
        #expect(throws: WarrenError.crypto(.foreignKey(name: foreign.keyID, fingerprint: foreign.master.fingerprint, expected: ring.master.fingerprint))) {
            try ours.open("shared password", expectedFingerprint: ring.master.fingerprint)
        }
        #expect(try ours.open("first password", expectedFingerprint: ring.master.fingerprint).keyID == ring.keyID)
    }

    @Test func invalidParametersForANewKeyAreRefusedAndNothingIsWritten() throws {
        let f = Fixture()
        #expect(throws: WarrenError.crypto(.invalidScryptParameters(reason: "N must be a power of two, at least 2 (got 1000)"))) {
            try KeyRing.create(in: f.keys, password: Password("x"), parameters: ScryptParameters(n: 1000, r: 8, p: 1), owner: Self.owner)
        }
        #expect(throws: WarrenError.crypto(.emptyPassword(source: "the new key"))) {
            try KeyRing.create(in: f.keys, password: Password(""), parameters: Self.cheap, owner: Self.owner)
        }
        #expect(try f.keys.names().isEmpty)
    }

    /// The key file format, pinned by the independent Python reader.
    @Test func anIndependentReaderOpensTheKeyFile() throws {
        let f = Fixture()
        let ring = try f.create("pinned format")
        let passwordFile = f.dir.file("password")
        try Data("pinned format\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        let result = try CryptoReference.run(["open-key", f.file(ring.keyID), passwordFile])
        #expect(result.status == 0, "\(result.stderr)")
        let hex = { (key: [UInt8]) in ContentDigest.hex(key) }
        let expected = [
            ring.master.encryptionKey.withUnsafeBytes { hex(Array($0)) },
            ring.master.objectIDKey.key.withUnsafeBytes { hex(Array($0)) },
            ring.master.fingerprint,
        ].joined(separator: " ")
        #expect(result.stdout == expected)
    }
}

extension TemporaryDirectory {
    /// Permission bits of a path under this directory.
    func mode(_ relative: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: file(relative))[.posixPermissions] as! NSNumber).intValue
    }
}
