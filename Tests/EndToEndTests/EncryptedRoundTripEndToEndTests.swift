import Foundation
import Testing

/// Issue 10's must-show on real 3.10.8 nodes: `backup --stop-app` into an encrypted
/// repository, then `restore` into a fresh node: every classic queue's count and body digest
/// equal; and `grep -r` of a known message body and of the node's password hashes over the
/// whole repository finds nothing, nor (outside the catalog) anything the manifests and state
/// documents hold.
@Suite(.serialized) struct EncryptedRoundTripEndToEndTests {
    static let seed = "ORDER-secret-4711"

    @Test func backupStopAppRestoreIntoAFreshNodeFromAnEncryptedRepository() throws {
        let work = NSTemporaryDirectory() + "warren-crypto-rt-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/repo"
        let passwordFile = work + "/pw"
        FileManager.default.createFile(atPath: passwordFile, contents: Data("round trip password\n".utf8), attributes: [.posixPermissions: 0o600])
        let password = ["WARREN_PASSWORD_FILE": passwordFile]
        let created = try Warren.run(["init", "--json"], repo: repo, environment: password)
        #expect(created.status == 0 && created.stdout.contains("aes-256-gcm"), "\(created.stdout) \(created.stderr)")

        try RabbitNode.with("e2e-crypt-a") { a in
            try BackupRestoreEndToEndTests.fill(a)
            try a.amqp(["publish", "/", "orders", "--count", "5", "--size", "400", "--seed", Self.seed])
            _ = try a.ctl(["add_user", "shop", "shop-secret"])
            var digests: [String: String] = [:]
            for (vhost, queue, kind, _, _) in BackupRestoreEndToEndTests.queues where kind != "quorum" {
                digests[vhost + "|" + queue] = try BackupRestoreEndToEndTests.digest(a, vhost, queue)
            }
            let before = try BackupRestoreEndToEndTests.classicCounts(a)
            let backup = try Warren.run(["backup", "--node", a.nodeName, "--stop-app", "--json"], repo: repo, environment: password)
            #expect(backup.status == 0, "\(backup.stderr)")
            let id = try #require((try JSONSerialization.jsonObject(with: Data(backup.stdout.utf8)) as? [String: Any])?["id"] as? Int)

            // The password hashes, read back through Warren's own (decrypting) export.
            let export = try Warren.run(["export", String(id), work + "/out"], repo: repo, environment: password)
            #expect(export.status == 0, "\(export.stderr)")
            let definitions = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: work + "/out/definitions.json"))) as? [String: Any])
            let hashes = ((definitions["users"] as? [[String: Any]]) ?? []).compactMap { $0["password_hash"] as? String }.filter { !$0.isEmpty }
            #expect(hashes.count >= 2, "\(definitions["users"] ?? "none")")
            let needles = hashes + [Self.seed + ":"]
            let patterns = needles.map { "-e '\($0)'" }.joined(separator: " ")
            let inRepository = try Command.run("/bin/sh", ["-c", "grep -rlaF \(patterns) '\(repo)'"])
            #expect(inRepository.status == 1 && inRepository.stdout.isEmpty, "found in: \(inRepository.stdout)")
            // The same grep finds them in the plaintext export, so it can fail.
            let inExport = try Command.run("/bin/sh", ["-c", "grep -rlaF \(patterns) '\(work)/out'"])
            #expect(inExport.status == 0 && inExport.stdout.contains("definitions.json") && (inExport.stdout.contains(".rdq") || inExport.stdout.contains(".idx")), "\(inExport.stdout)")

            // Slice 3: manifests and state are sealed too. What they hold in plaintext (the
            // node, a queue's name, the definitions' and files' plain SHA-256, a pin's note, a
            // policy, a verdict) is found nowhere but in the catalog, the documented plaintext
            // cache on the operator's machine, and guard/ (the broker-safety record of the
            // node a --stop-app backup stopped, which the guard process reads without a key).
            let note = "PIN-NOTE-\(Self.seed)"
            #expect(try Warren.run(["pin", String(id), "--note", note], repo: repo, environment: password).status == 0)
            #expect(try Warren.run(["policy", "set", "--node", a.nodeName, "--keep-daily", "7"], repo: repo, environment: password).status == 0)
            #expect(try Warren.run(["verify", String(id)], repo: repo, environment: password).status == 0)
            let files = try Command.run("/bin/sh", ["-c", "find '\(work)/out' -type f -name '*.rdq' -exec sha256sum {} + | cut -c1-64; sha256sum '\(work)/out/definitions.json' | cut -c1-64"])
            let fileDigests = files.stdout.split(separator: "\n").map(String.init)
            #expect(fileDigests.count >= 2, "\(files.stdout) \(files.stderr)")
            let documentNeedles = fileDigests + [a.nodeName, note, "orders"]
            let documentPatterns = documentNeedles.map { "-e '\($0)'" }.joined(separator: " ")
            let inDocuments = try Command.run("/bin/sh", ["-c", "grep -rlaF --exclude='catalog.sqlite*' --exclude-dir=guard \(documentPatterns) '\(repo)'"])
            #expect(inDocuments.status == 1 && inDocuments.stdout.isEmpty, "found in: \(inDocuments.stdout)")
            let sealed = try Command.run("/bin/sh", ["-c", "cd '\(repo)' && for f in $(find manifests state -type f); do head -c 4 $f | grep -q WRNS || echo $f; done; find manifests/ state/pins state/policies state/verdicts -type f | wc -l"])
            #expect(sealed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "4", "unsealed, then the count: \(sealed.stdout) \(sealed.stderr)")
            // The catalog holds the node and the note, so the grep can fail.
            let inCatalog = try Command.run("/bin/sh", ["-c", "grep -laF -e '\(note)' -e '\(a.nodeName)' '\(repo)'/catalog.sqlite*"])
            #expect(inCatalog.status == 0, "\(inCatalog.stdout) \(inCatalog.stderr)")

            // Without the password the restore is refused before anything happens.
            try RabbitNode.with("e2e-crypt-b") { b in
                let refused = try Warren.run(["restore", String(id), "--node", b.nodeName], repo: repo, environment: TestPassword.none)
                #expect(refused.status == 2 && refused.stderr.contains("no password was given"), "\(refused.stderr)")
                let restore = try Warren.run(["restore", String(id), "--node", b.nodeName, "--json"], repo: repo, environment: password)
                #expect(restore.status == 0, "\(restore.stdout) \(restore.stderr)")
                #expect(try BackupRestoreEndToEndTests.classicCounts(b) == before)
                for (key, digest) in digests {
                    let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
                    #expect(try BackupRestoreEndToEndTests.digest(b, parts[0], parts[1]) == digest, "bodies of \(key)")
                }
            }
        }
    }
}
