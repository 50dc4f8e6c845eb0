import Foundation
import Testing

/// Issue 10, slice 1, from the command line: `init` with a password, `key list|add|remove|passwd`,
/// and the errors of a missing or wrong password (exit 2, nothing written).
@Suite struct EncryptionEndToEndTests {
    static func work(_ name: String) -> String {
        NSTemporaryDirectory() + "warren-crypto-\(name)-\(UUID().uuidString)"
    }

    /// A private password file.
    static func passwordFile(_ path: String, _ password: String) throws -> String {
        FileManager.default.createFile(atPath: path, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return path
    }

    static func json(_ result: CommandResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    static func errorCode(_ result: CommandResult) -> String? {
        (json(result)["error"] as? [String: Any])?["code"] as? String
    }

    @Test func initWithAPasswordThenKeysAddRemovePasswd() throws {
        let work = Self.work("keys")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        let one = try Self.passwordFile(work + "/one", "first password")
        let two = try Self.passwordFile(work + "/two", "second password")
        let three = try Self.passwordFile(work + "/three", "third password")

        let created = try Warren.run(["init", "--password-file", one, "--json"], repo: repo)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(Self.json(created)["encryption"] as? String == "aes-256-gcm")
        let firstKey = try #require(Self.json(created)["key_id"] as? String)
        let config = try String(contentsOfFile: repo + "/config", encoding: .utf8)
        #expect(config.contains("\"encryption\":\"aes-256-gcm\""), "\(config)")

        // No password (no terminal either): exit 2, password_required. Wrong one: wrong_password.
        let before = try Self.listing(repo)
        let missing = try Warren.run(["list", "--json"], repo: repo, environment: TestPassword.none)
        #expect(missing.status == 2 && Self.errorCode(missing) == "password_required", "\(missing.stdout) \(missing.stderr)")
        #expect(missing.stderr.contains("WARREN_PASSWORD_FILE"), "\(missing.stderr)")
        let wrong = try Warren.run(["register", work, "--node", "rabbit@a", "--json"], repo: repo, environment: ["WARREN_PASSWORD_FILE": two])
        #expect(wrong.status == 2 && Self.errorCode(wrong) == "wrong_password", "\(wrong.stdout) \(wrong.stderr)")
        #expect(wrong.stderr.contains("wrong password"), "\(wrong.stderr)")
        #expect(try Self.listing(repo) == before, "a refused password wrote to the repository")

        // The environment works as the flag does; list says the encryption.
        let list = try Warren.run(["list"], repo: repo, environment: ["WARREN_PASSWORD_FILE": one])
        #expect(list.status == 0 && list.stdout.contains("encryption: aes-256-gcm"), "\(list.stdout) \(list.stderr)")

        // Two keys: either opens.
        let added = try Warren.run(["key", "add", "--password-file", one, "--new-password-file", two, "--json"], repo: repo)
        #expect(added.status == 0, "\(added.stderr)")
        let secondKey = try #require(Self.json(added)["id"] as? String)
        let keys = try Warren.run(["key", "list", "--json"], repo: repo, environment: ["WARREN_PASSWORD_FILE": two])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(keys.stdout.utf8)) as? [[String: Any]])
        #expect(Set(rows.compactMap { $0["id"] as? String }) == [firstKey, secondKey])
        #expect(rows.filter { $0["current"] as? Bool == true }.compactMap { $0["id"] as? String } == [secondKey])

        // The key in use cannot remove itself; the other one can, and then its password no longer opens.
        let selfRemoval = try Warren.run(["key", "remove", secondKey, "--password-file", two, "--json"], repo: repo)
        #expect(selfRemoval.status == 9 && Self.errorCode(selfRemoval) == "key_in_use", "\(selfRemoval.stdout)")
        let removed = try Warren.run(["key", "remove", String(firstKey.prefix(8)), "--password-file", two], repo: repo)
        #expect(removed.status == 0, "\(removed.stderr)")
        let gone = try Warren.run(["list", "--password-file", one, "--json"], repo: repo)
        #expect(gone.status == 2 && Self.errorCode(gone) == "wrong_password", "\(gone.stdout)")

        // passwd: the new password opens, the old one no longer; still one key.
        let changed = try Warren.run(["key", "passwd", "--password-file", two, "--new-password-file", three, "--json"], repo: repo)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(Self.json(changed)["removed"] as? String == secondKey)
        #expect(try Warren.run(["list", "--password-file", two], repo: repo).status == 2)
        let last = try Warren.run(["key", "list", "--password-file", three, "--json"], repo: repo)
        let lastRows = try #require(try JSONSerialization.jsonObject(with: Data(last.stdout.utf8)) as? [[String: Any]])
        #expect(lastRows.count == 1)
        let lastID = try #require(lastRows.first?["id"] as? String)
        // The only key cannot be removed (it is also the one in use: either refusal is exit 9).
        let refused = try Warren.run(["key", "remove", lastID, "--password-file", three, "--json"], repo: repo)
        #expect(refused.status == 9, "\(refused.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo + "/keys") == [lastID])
    }

    @Test func aPlaintextRepositorySaysSoAndHasNoKeys() throws {
        let work = Self.work("plain")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        // A password in the environment, but --no-encryption wins.
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let password = try Self.passwordFile(work + "/pw", "unused")
        let created = try Warren.run(["init", "--no-encryption", "--json"], repo: repo, environment: ["WARREN_PASSWORD_FILE": password])
        #expect(created.status == 0 && Self.json(created)["encryption"] as? String == "none", "\(created.stdout) \(created.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo + "/keys"))
        try SyntheticBackup.make(at: work + "/b")
        let id = try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", repo])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for arguments in [["list"], ["show", id], ["check"]] {
            let result = try Warren.run(arguments, repo: repo)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.range(of: "encryption:? +none", options: .regularExpression) != nil, "\(arguments): \(result.stdout)")
        }
        let check = try Warren.run(["check", "--json"], repo: repo)
        #expect(Self.json(check)["encryption"] as? String == "none", "\(check.stdout)")
        let keys = try Warren.run(["key", "list", "--json"], repo: repo)
        #expect(keys.status == 2 && Self.errorCode(keys) == "not_encrypted", "\(keys.stdout)")
        let contradiction = try Warren.run(["init", "--no-encryption", "--password-file", password], repo: work + "/other")
        #expect(contradiction.status == 64 && !FileManager.default.fileExists(atPath: work + "/other"), "\(contradiction.stderr)")
    }

    /// Slice 4: `init` encrypts by default. With no password source and no terminal it fails
    /// (exit 2) saying which to give, and creates nothing; a password in the environment is
    /// enough; only --no-encryption makes a plaintext repository.
    @Test func initEncryptsByDefaultAndWithoutAPasswordCreatesNothing() throws {
        let work = Self.work("default")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let refused = try Warren.run(["init", "--json"], repo: work + "/repo", environment: TestPassword.none)
        #expect(refused.status == 2 && Self.errorCode(refused) == "password_required", "\(refused.stdout) \(refused.stderr)")
        for hint in ["--password-file", "WARREN_PASSWORD_FILE", "WARREN_PASSWORD_COMMAND", "terminal", "--no-encryption", "Nothing was created"] {
            #expect(refused.stderr.contains(hint), "\(hint): \(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: work + "/repo"), "a refused init created the directory")
        // An existing empty directory stays empty.
        try FileManager.default.createDirectory(atPath: work + "/empty", withIntermediateDirectories: true)
        #expect(try Warren.run(["init"], repo: work + "/empty", environment: TestPassword.none).status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/empty").isEmpty)

        let password = ["WARREN_PASSWORD_FILE": try Self.passwordFile(work + "/pw", "default password")]
        let created = try Warren.run(["init", "--json"], repo: work + "/repo", environment: password)
        #expect(created.status == 0 && Self.json(created)["encryption"] as? String == "aes-256-gcm", "\(created.stdout) \(created.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work + "/repo/keys").count == 1)
        let check = try Warren.run(["check"], repo: work + "/repo", environment: password)
        #expect(check.status == 0 && check.stdout.range(of: "encryption +aes-256-gcm", options: .regularExpression) != nil, "\(check.stdout)")
    }

    /// Slice 2 from the command line: objects sealed, every reader decrypts, and check, gc
    /// (and their dry runs) find a clean repository through the keyed names.
    @Test func registerVerifyExportCheckAndGCOnAnEncryptedRepository() throws {
        let work = Self.work("sealed")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        let password = ["WARREN_PASSWORD_FILE": try Self.passwordFile(work + "/pw", "sealed password")]
        #expect(try Warren.run(["init"], repo: repo, environment: password).status == 0)
        try SyntheticBackup.make(at: work + "/b")
        let registered = try Warren.run(["register", work + "/b", "--node", "rabbit@a"], repo: repo, environment: password)
        #expect(registered.status == 0, "\(registered.stderr)")
        let id = registered.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let verify = try Warren.run(["verify", id, "--full", "--json"], repo: repo, environment: password)
        #expect(verify.status == 0 && (Self.json(verify)["verdict"] as? String)?.hasPrefix("viable") == true, "\(verify.stdout) \(verify.stderr)")
        #expect(!verify.stdout.contains("object_"), "\(verify.stdout)")
        let export = try Warren.run(["export", id, work + "/out"], repo: repo, environment: password)
        #expect(export.status == 0, "\(export.stderr)")
        let diff = try Command.run("/usr/bin/diff", ["-r", work + "/b/msg_stores", work + "/out/msg_stores"])
        #expect(diff.status == 0, "\(diff.stdout)")
        for arguments in [["check", "--json"], ["check", "--dry-run", "--json"], ["gc", "--dry-run", "--json"], ["gc", "--json"]] {
            let result = try Warren.run(arguments, repo: repo, environment: password)
            #expect(result.status == 0, "\(arguments): \(result.stdout) \(result.stderr)")
            if arguments[0] == "check" { #expect(Self.json(result)["clean"] as? Bool == true, "\(arguments): \(result.stdout)") }
            if arguments[0] == "gc" { #expect(Self.json(result)["freed_objects"] as? Int == 0, "\(arguments): \(result.stdout)") }
        }
        // Without the password, even the dry run is refused (the names are keyed).
        #expect(Self.errorCode(try Warren.run(["gc", "--dry-run", "--json"], repo: repo, environment: TestPassword.none)) == "password_required")
        // The backup's objects are still all there after gc.
        #expect(try Warren.run(["verify", id, "--full"], repo: repo, environment: password).status == 0)
    }

    /// Slice 3: the objects a SIGKILLed register stored (never recorded, so no catalog row
    /// maps their keyed names back) are found and removed by `gc`, as in a plaintext
    /// repository; the backup's manifest and the catalog rows never existed.
    @Test func gcRemovesTheObjectsOfAKilledRegisterInAnEncryptedRepository() throws {
        let work = Self.work("killed")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        let password = ["WARREN_PASSWORD_FILE": try Self.passwordFile(work + "/pw", "killed password")]
        #expect(try Warren.run(["init"], repo: repo, environment: password).status == 0)
        try SyntheticBackup.make(at: work + "/b", uniqueFiles: 6)
        // Held at its fourth file poll, then killed: nothing is recorded. The definitions
        // object is always stored before the first poll; the three files that passed a poll
        // may still be in flight on other worker threads when the hold is reached (there are
        // 2 × cores of them), so only that one object is certain.
        let register = try Spawned(["register", work + "/b", "--node", "rabbit@a", "--repo", repo],
                                   environment: password.merging(["WARREN_TEST_HOLD_AFTER_FILES": "3"]) { $1 })
        #expect(register.waitForStderr(containing: "warren: test hold"), "\(register.wait().stderr)")
        register.sigkill()
        #expect(register.wait().status == 137)
        let left = try Self.objectFiles(repo)
        #expect(left.count >= 1, "\(left)")

        let dry = try Warren.run(["gc", "--dry-run", "--json"], repo: repo, environment: password)
        #expect(Self.json(dry)["freed_objects"] as? Int == left.count && (Self.json(dry)["unexpected_files"] as? [String])?.isEmpty == true, "\(dry.stdout) \(dry.stderr)")
        let gc = try Warren.run(["gc", "--json"], repo: repo, environment: password)
        #expect(gc.status == 0 && Self.json(gc)["freed_objects"] as? Int == left.count, "\(gc.stdout) \(gc.stderr)")
        #expect(try Self.objectFiles(repo).isEmpty)
        // The repository is whole: a new register of the same tree stores and verifies everything.
        let again = try Warren.run(["register", work + "/b", "--node", "rabbit@a"], repo: repo, environment: password)
        #expect(again.status == 0, "\(again.stderr)")
        let id = again.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Warren.run(["verify", id, "--full"], repo: repo, environment: password).status == 0)
    }

    /// The object files under `objects/` (relative).
    static func objectFiles(_ repo: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: repo + "/objects").filter { $0.split(separator: "/").count == 2 }.sorted()
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
