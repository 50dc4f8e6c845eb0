import Foundation
import Testing
@testable import WarrenCore

/// Issue 11's must-show on a real 3.10.8 node and a real SeaweedFS: `backup --stop-app` into
/// an encrypted s3: repository, `verify --full`, `restore` into a fresh node with every
/// classic queue's count and body digest equal; the bucket's files on disk hold no message
/// body; pins, policies, diff and keys on s3:, a pin and a policy removed on another host
/// leave this host's cache too; `catalog rebuild` of the cache gives the same list; and
/// `copy` from the bucket into a local repository and back into another prefix.
@Suite(.serialized) struct S3RoundTripEndToEndTests {
    static let seed = "S3-ORDER-secret-0815"

    static func json(_ result: CommandResult) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]) ?? [:]
    }

    static func list(_ result: CommandResult) -> [[String: Any]] {
        ((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [[String: Any]]) ?? []
    }

    @Test func backupStopAppRestorePinPolicyDiffKeysRebuildAndCopyOnS3() throws {
        let work = NSTemporaryDirectory() + "warren-s3rt-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let passwordFile = work + "/pw"
        FileManager.default.createFile(atPath: passwordFile, contents: Data("s3 round trip\n".utf8), attributes: [.posixPermissions: 0o600])
        try SeaweedServer.with("s3-rt") { server in
            let url = server.location(prefix: "fleet").description
            let hostA = S3RepositoryEndToEndTests.host(server, cache: work + "/cache-a").merging(["WARREN_PASSWORD_FILE": passwordFile]) { $1 }
            let hostB = S3RepositoryEndToEndTests.host(server, cache: work + "/cache-b").merging(["WARREN_PASSWORD_FILE": passwordFile]) { $1 }
            let created = try Warren.run(["init", "--json"], repo: url, environment: hostA)
            #expect(created.status == 0 && created.stdout.contains("aes-256-gcm"), "\(created.stdout) \(created.stderr)")

            try RabbitNode.with("e2e-s3rt-a") { a in
                try BackupRestoreEndToEndTests.fill(a)
                try a.amqp(["publish", "/", "orders", "--count", "5", "--size", "400", "--seed", Self.seed])
                var digests: [String: String] = [:]
                for (vhost, queue, kind, _, _) in BackupRestoreEndToEndTests.queues where kind != "quorum" {
                    digests[vhost + "|" + queue] = try BackupRestoreEndToEndTests.digest(a, vhost, queue)
                }
                let before = try BackupRestoreEndToEndTests.classicCounts(a)

                // backup --stop-app straight into the bucket; the broker app runs again after it.
                let backup = try Warren.run(["backup", "--node", a.nodeName, "--stop-app", "--json"], repo: url, environment: hostA)
                #expect(backup.status == 0, "\(backup.stdout) \(backup.stderr)")
                let id = try #require(Self.json(backup)["id"] as? Int, "\(backup.stdout)")
                #expect(try BackupRestoreEndToEndTests.classicCounts(a) == before, "the app runs again, its queues as they were")
                let manifests = try server.client().listObjects(prefix: "fleet/manifests/").map(\.key)
                #expect(manifests == ["fleet/manifests/" + String(format: "%020d", id)], "\(manifests)")

                // verify --full reads every object back from the bucket.
                let verified = try Warren.run(["verify", String(id), "--full", "--json"], repo: url, environment: hostA)
                // Viable, with the warnings of this node (a quorum queue, password hashes); every object there and intact.
                #expect(verified.status == 0 && Self.json(verified)["verdict"] as? String == "viable_with_warnings"
                        && !verified.stdout.contains("\"object_"), "\(verified.stdout) \(verified.stderr)")
                #expect((Self.json(verified)["checked_objects"] as? Int ?? 0) > 10, "\(verified.stdout)")

                // The bucket's own files on the server's disk hold no message body; a plaintext
                // object holding the seed, put there afterwards, is found by the same grep.
                let grep = "grep -rlaF -e '\(Self.seed):' '\(server.directory)'"
                let sealed = try Command.run("/bin/sh", ["-c", grep])
                #expect(sealed.status == 1 && sealed.stdout.isEmpty, "found in: \(sealed.stdout) \(sealed.stderr)")
                _ = try server.client().putObject("control/plain", Array("control \(Self.seed):".utf8))
                let control = try Command.run("/bin/sh", ["-c", grep])
                #expect(control.status == 0 && !control.stdout.isEmpty, "the control object is found: \(control.stderr)")
                try server.client().deleteObject("control/plain")

                // A second backup (live), then diff, pin and policy on s3:.
                try a.amqp(["publish", "/", "orders", "--count", "7", "--size", "200", "--seed", "second"])
                let second = try Warren.run(["backup", "--node", a.nodeName, "--json"], repo: url, environment: hostA)
                let secondID = try #require(Self.json(second)["id"] as? Int, "\(second.stdout) \(second.stderr)")
                let diff = try Warren.run(["diff", String(id), String(secondID), "--json"], repo: url, environment: hostA)
                #expect(diff.status == 0 && diff.stdout.contains("orders"), "\(diff.stdout) \(diff.stderr)")
                #expect(try Warren.run(["pin", String(id), "--note", "before the upgrade"], repo: url, environment: hostA).status == 0)
                #expect(try Warren.run(["policy", "set", "--node", a.nodeName, "--keep-last", "5"], repo: url, environment: hostA).status == 0)
                #expect(try server.client().listObjects(prefix: "fleet/state/pins/").count == 1)
                #expect(try server.client().listObjects(prefix: "fleet/state/policies/").count == 1)

                // Host B sees both backups, the pin and the policy, from the bucket.
                let listedB = Self.list(try Warren.run(["list", "--json"], repo: url, environment: hostB))
                #expect(listedB.compactMap { $0["id"] as? Int } == [secondID, id] || listedB.compactMap { $0["id"] as? Int } == [id, secondID], "\(listedB)")
                #expect(listedB.first { $0["id"] as? Int == id }?["pin_note"] as? String == "before the upgrade", "\(listedB)")
                let policyB = try Warren.run(["policy", "show", "--json"], repo: url, environment: hostB)
                #expect(policyB.stdout.contains(a.nodeName), "\(policyB.stdout) \(policyB.stderr)")

                // catalog rebuild of host A's cache: refused while healthy, then with --force
                // and after the cache is deleted, the same list.
                let listA = try Warren.run(["list", "--json"], repo: url, environment: hostA)
                let refused = try Warren.run(["catalog", "rebuild", "--json"], repo: url, environment: hostA)
                #expect(refused.status == 15 && S3RepositoryEndToEndTests.errorCode(refused) == "rebuild_refused", "\(refused.stdout) \(refused.stderr)")
                let forced = try Warren.run(["catalog", "rebuild", "--force", "--json"], repo: url, environment: hostA)
                #expect(forced.status == 0 && Self.json(forced)["backups"] as? Int == 2, "\(forced.stdout) \(forced.stderr)")
                #expect(try Warren.run(["list", "--json"], repo: url, environment: hostA).stdout == listA.stdout)
                try FileManager.default.removeItem(atPath: work + "/cache-a")
                let fresh = try Warren.run(["catalog", "rebuild", "--json"], repo: url, environment: hostA)
                #expect(fresh.status == 0 && Self.json(fresh)["backups"] as? Int == 2, "\(fresh.stdout) \(fresh.stderr)")
                #expect(try Warren.run(["list", "--json"], repo: url, environment: hostA).stdout == listA.stdout)

                // catalog upgrade has nothing to write on s3:.
                let upgrade = try Warren.run(["catalog", "upgrade", "--json"], repo: url, environment: hostA)
                #expect(upgrade.status == 0 && Self.json(upgrade)["manifests_written"] as? Int == 0
                        && Self.json(upgrade)["manifests_present"] as? Int == 2, "\(upgrade.stdout) \(upgrade.stderr)")

                // Host B unpins and unsets the policy: host A's next open follows.
                #expect(try Warren.run(["unpin", String(id)], repo: url, environment: hostB).status == 0)
                #expect(try Warren.run(["policy", "unset", "--node", a.nodeName], repo: url, environment: hostB).status == 0)
                let listedA = Self.list(try Warren.run(["list", "--json"], repo: url, environment: hostA))
                #expect(listedA.first { $0["id"] as? Int == id }?["pinned"] as? Bool == false, "\(listedA)")
                let policyA = try Warren.run(["policy", "show", "--json"], repo: url, environment: hostA)
                #expect(policyA.status == 0 && !policyA.stdout.contains(a.nodeName), "\(policyA.stdout) \(policyA.stderr)")

                // Keys on s3: a second password opens it; removed, it no longer does.
                let otherPassword = work + "/pw2"
                FileManager.default.createFile(atPath: otherPassword, contents: Data("second s3 password\n".utf8), attributes: [.posixPermissions: 0o600])
                let added = try Warren.run(["key", "add", "--new-password-file", otherPassword, "--json"], repo: url, environment: hostA)
                let keyID = try #require(Self.json(added)["id"] as? String, "\(added.stdout) \(added.stderr)")
                let withOther = hostB.merging(["WARREN_PASSWORD_FILE": otherPassword]) { $1 }
                #expect(try Warren.run(["list"], repo: url, environment: withOther).status == 0)
                #expect(try Warren.run(["key", "remove", keyID], repo: url, environment: hostA).status == 0)
                let locked = try Warren.run(["list"], repo: url, environment: withOther)
                #expect(locked.status == 2 && locked.stderr.contains("wrong password"), "\(locked.stderr)")
                #expect(try server.client().listObjects(prefix: "fleet/locks/").isEmpty, "the key change released the bucket's lock")

                // restore from the bucket into a fresh node: counts and bodies equal.
                try RabbitNode.with("e2e-s3rt-b") { b in
                    let restore = try Warren.run(["restore", String(id), "--node", b.nodeName, "--json"], repo: url, environment: hostB)
                    #expect(restore.status == 0, "\(restore.stdout) \(restore.stderr)")
                    #expect(try BackupRestoreEndToEndTests.classicCounts(b) == before)
                    for (key, digest) in digests {
                        let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
                        #expect(try BackupRestoreEndToEndTests.digest(b, parts[0], parts[1]) == digest, "bodies of \(key)")
                    }
                }

                // copy: bucket → local plaintext repository → another prefix of the bucket.
                let local = work + "/local"
                #expect(try Warren.run(["init", "--no-encryption"], repo: local).status == 0)
                let down = try Warren.run(["copy", String(id), "--to", local, "--json"], repo: url, environment: hostA)
                let downEntry = (Self.json(down)["backups"] as? [[String: Any]])?.first
                #expect(down.status == 0 && downEntry?["outcome"] as? String == "copied", "\(down.stdout) \(down.stderr)")
                let localID = try #require(downEntry?["target"] as? Int)
                #expect(try Warren.run(["verify", String(localID), "--full"], repo: local).status == 0)
                let other = server.location(prefix: "copies").description
                #expect(try Warren.run(["init", "--no-encryption"], repo: other, environment: hostA).status == 0)
                let up = try Warren.run(["copy", String(localID), "--to", other, "--json"], repo: local, environment: hostA)
                let upEntry = (Self.json(up)["backups"] as? [[String: Any]])?.first
                #expect(up.status == 0 && upEntry?["outcome"] as? String == "copied" && Self.json(up)["target"] as? String == other,
                        "\(up.stdout) \(up.stderr)")
                let upID = try #require(upEntry?["target"] as? Int)
                let upVerified = try Warren.run(["verify", String(upID), "--full", "--json"], repo: other, environment: hostB)
                #expect(upVerified.status == 0 && Self.json(upVerified)["verdict"] as? String == "viable_with_warnings"
                        && !upVerified.stdout.contains("\"object_"), "\(upVerified.stdout) \(upVerified.stderr)")
                let again = try Warren.run(["copy", String(localID), "--to", other], repo: local, environment: hostA)
                #expect(again.status == 0 && again.stdout.contains("skipped"), "\(again.stdout) \(again.stderr)")
            }
        }
    }
}
