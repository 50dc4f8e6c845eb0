import Foundation
import Testing

/// `warren copy ID… --to REPO` from the command line: plaintext into an encrypted
/// repository with its own password, --dry-run, --json, a second copy skipped.
@Suite struct CopyEndToEndTests {
    @Test func copyIntoAnEncryptedRepositoryDryRunJsonAndSkip() throws {
        let work = EncryptionEndToEndTests.work("copy")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let plain = work + "/plain", sealed = work + "/sealed"
        let targetPassword = try EncryptionEndToEndTests.passwordFile(work + "/target-pw", "target password")
        #expect(try Warren.run(["init", "--no-encryption"], repo: plain).status == 0)
        #expect(try Warren.run(["init", "--password-file", targetPassword], repo: sealed).status == 0)
        try SyntheticBackup.make(at: work + "/b", uniqueFiles: 3)
        let id = try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", plain])
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let dry = try Warren.run(["copy", id, "--to", sealed, "--to-password-file", targetPassword, "--dry-run", "--json"], repo: plain)
        let dryJSON = EncryptionEndToEndTests.json(dry)
        let dryEntry = try #require((dryJSON["backups"] as? [[String: Any]])?.first, "\(dry.stdout) \(dry.stderr)")
        #expect(dry.status == 0 && dryJSON["dry_run"] as? Bool == true && dryEntry["outcome"] as? String == "would_copy", "\(dry.stdout)")
        let empty = try Warren.run(["list", "--json", "--password-file", targetPassword], repo: sealed)
        #expect(empty.stdout.filter { !$0.isWhitespace } == "[]", "\(empty.stdout) \(empty.stderr)")

        let copied = try Warren.run(["copy", id, "--to", sealed, "--to-password-file", targetPassword, "--json"], repo: plain)
        let entry = try #require((EncryptionEndToEndTests.json(copied)["backups"] as? [[String: Any]])?.first, "\(copied.stdout) \(copied.stderr)")
        #expect(copied.status == 0 && entry["outcome"] as? String == "copied" && (entry["objects"] as? Int ?? 0) > 0, "\(copied.stdout)")
        let newID = try #require(entry["target"] as? Int)
        let verify = try Warren.run(["verify", String(newID), "--full", "--password-file", targetPassword], repo: sealed)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        // The wrong target password: exit 2, nothing written.
        let wrong = try Warren.run(["copy", id, "--to", sealed], repo: plain)
        #expect(wrong.status == 2 && wrong.stderr.contains("wrong password"), "\(wrong.stderr)")

        let again = try Warren.run(["copy", id, "--to", sealed, "--to-password-file", targetPassword], repo: plain)
        #expect(again.status == 0 && again.stdout.contains("backup \(id) skipped") && again.stdout.contains("as backup \(newID)"), "\(again.stdout) \(again.stderr)")
    }
}
