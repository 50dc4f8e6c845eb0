import Foundation
import Testing
@testable import WarrenCore

/// Issue 11, phase 2, slice 2: a repository in a real SeaweedFS bucket, through the real
/// binary. `config`, keys, manifests, state and objects are in the bucket; each "host" (its
/// own `XDG_CACHE_HOME`) keeps a catalog cache that is synchronised from the bucket on open,
/// so a deleted cache comes back and one host sees what another registered.
@Suite(.serialized) struct S3RepositoryEndToEndTests {
    /// The AWS variables for `server`, and a cache directory of the host's own.
    static func host(_ server: SeaweedServer, cache: String, secret: String? = nil) -> [String: String] {
        ["AWS_ACCESS_KEY_ID": server.credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": secret ?? server.credentials.secretAccessKey,
         "AWS_DEFAULT_REGION": server.credentials.region, "XDG_CACHE_HOME": cache]
    }

    static func json(_ result: CommandResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    static func errorCode(_ result: CommandResult) -> String? {
        let body = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (body?["error"] as? [String: Any])?["code"] as? String
    }

    /// The output's JSON object, nil when it is not one.
    static func object(_ result: CommandResult) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
    }

    /// The ids `list --json` printed, ascending (empty when it printed no list).
    static func ids(_ result: CommandResult) -> [Int] {
        (((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }.sorted()
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test func initRegisterVerifyExportAndTwoHostsShareABucket() throws {
        let work = NSTemporaryDirectory() + "warren-s3repo-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-repo") { server in
            let url = server.location(prefix: "fleet/rabbit").description
            let hostA = Self.host(server, cache: work + "/cache-a")
            let hostB = Self.host(server, cache: work + "/cache-b")

            // init: encrypted, everything in the bucket, the catalog a private local cache.
            let created = try Warren.run(["init", "--json"], repo: url, environment: hostA)
            #expect(created.status == 0, "\(created.stdout) \(created.stderr)")
            let info = try #require(try Self.json(created) as? [String: Any])
            #expect(info["repository"] as? String == url && info["encryption"] as? String == "aes-256-gcm", "\(created.stdout)")
            let keys = try server.client().listObjects(prefix: "fleet/rabbit/").map(\.key)
            #expect(keys.contains("fleet/rabbit/config"), "\(keys)")
            #expect(keys.contains { $0.hasPrefix("fleet/rabbit/keys/") }, "\(keys)")
            let repositoryIDs = try FileManager.default.contentsOfDirectory(atPath: work + "/cache-a/warren")
            #expect(repositoryIDs.count == 1)
            let cacheA = work + "/cache-a/warren/" + (repositoryIDs.first ?? "")
            #expect(Self.mode(work + "/cache-a/warren") == 0o700 && Self.mode(cacheA) == 0o700)
            #expect(Self.mode(cacheA + "/catalog.sqlite") == 0o600)

            // A second init on the same prefix is refused, even from another host.
            let again = try Warren.run(["init", "--json"], repo: url, environment: hostB)
            #expect(again.status == 2 && Self.errorCode(again) == "repository_exists", "\(again.stdout) \(again.stderr)")
            #expect(!FileManager.default.fileExists(atPath: work + "/cache-b"), "nothing cached by a refused init")

            // register a synthetic backup; list, show and ls see it.
            try SyntheticBackup.make(at: work + "/b1", uniqueFiles: 2)
            let registered = try Warren.run(["register", work + "/b1", "--node", "rabbit@a", "--json"], repo: url, environment: hostA)
            #expect(registered.status == 0, "\(registered.stderr)")
            let first = try #require((try Self.json(registered) as? [String: Any])?["id"] as? Int)
            let listed = try Warren.run(["list", "--json"], repo: url, environment: hostA)
            #expect(listed.status == 0 && (Self.ids(listed)) == [first], "\(listed.stdout) \(listed.stderr)")
            let shown = try Warren.run(["show", String(first), "--json"], repo: url, environment: hostA)
            #expect(shown.status == 0, "\(shown.stderr)")
            let detail = try #require(try Self.json(shown) as? [String: Any])
            let summary = detail["backup"] as? [String: Any]
            #expect(summary?["node"] as? String == "rabbit@a" && summary?["state"] as? String == "complete", "\(shown.stdout)")
            #expect((detail["queues"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["orders"], "\(shown.stdout)")
            let ls = try Warren.run(["ls", String(first)], repo: url, environment: hostA)
            #expect(ls.status == 0 && ls.stdout.contains("msg_store_persistent/100.rdq"), "\(ls.stdout) \(ls.stderr)")
            #expect(try server.client().listObjects(prefix: "fleet/rabbit/manifests/").count == 1)
            // Small files are packed: packs, each with its index, and no loose object.
            let packCount = try server.client().listObjects(prefix: "fleet/rabbit/packs/").count
            let indexCount = try server.client().listObjects(prefix: "fleet/rabbit/pack-indexes/").count
            #expect(packCount >= 1 && packCount == indexCount, "\(packCount) packs, \(indexCount) indexes")
            #expect(try server.client().listObjects(prefix: "fleet/rabbit/objects/").isEmpty)

            // verify --full reads every object back from the bucket; export equals the source.
            let verified = try Warren.run(["verify", String(first), "--full", "--json"], repo: url, environment: hostA)
            // Viable (a registered live copy warns that it is one); every object is there and intact.
            #expect(verified.status == 0 && (Self.object(verified)?["verdict"] as? String)?.hasPrefix("viable") == true,
                    "\(verified.stdout) \(verified.stderr)")
            #expect(Self.object(verified)?["checked_objects"] as? Int == 6 && !verified.stdout.contains("\"object_"), "\(verified.stdout)")
            let exported = try Warren.run(["export", String(first), work + "/out1"], repo: url, environment: hostA)
            #expect(exported.status == 0, "\(exported.stderr)")
            let diff = try Command.run("/usr/bin/diff", ["-r", work + "/b1/msg_stores", work + "/out1/msg_stores"])
            #expect(diff.status == 0, "\(diff.stdout)")
            #expect(FileManager.default.contents(atPath: work + "/b1/definitions.json") == FileManager.default.contents(atPath: work + "/out1/definitions.json"))

            // The cache deleted: list rebuilds it from the bucket, the same backups (the
            // verdict too, from its state document).
            let beforeDeletion = try Warren.run(["list", "--json"], repo: url, environment: hostA)
            try FileManager.default.removeItem(atPath: work + "/cache-a")
            let rebuilt = try Warren.run(["list", "--json"], repo: url, environment: hostA)
            #expect(rebuilt.status == 0 && (Self.ids(rebuilt)) == [first], "\(rebuilt.stdout) \(rebuilt.stderr)")
            #expect(rebuilt.stdout == beforeDeletion.stdout)
            #expect(FileManager.default.fileExists(atPath: cacheA + "/catalog.sqlite"), "the same cache path, from config's id")

            // A second host registers into the same bucket: it takes the next id, and the
            // first host's list then shows both.
            try SyntheticBackup.make(at: work + "/b2", uniqueFiles: 1)
            let second = try Warren.run(["register", work + "/b2", "--node", "rabbit@b", "--json"], repo: url, environment: hostB)
            #expect(second.status == 0, "\(second.stderr)")
            let secondID = try #require((try Self.json(second) as? [String: Any])?["id"] as? Int)
            #expect(secondID == first + 1)
            let both = try Warren.run(["list", "--json"], repo: url, environment: hostA)
            #expect(both.status == 0 && (Self.ids(both)) == [first, secondID], "\(both.stdout) \(both.stderr)")
            let bothB = try Warren.run(["list", "--json"], repo: url, environment: hostB)
            #expect((Self.ids(bothB)) == [first, secondID])
            // Host B reads host A's objects.
            #expect(try Warren.run(["export", String(first), work + "/out1-b"], repo: url, environment: hostB).status == 0)
            #expect(try Command.run("/usr/bin/diff", ["-r", work + "/b1/msg_stores", work + "/out1-b/msg_stores"]).status == 0)

            // A damaged cache is rebuilt too.
            try Data("not a catalog".utf8).write(to: URL(fileURLWithPath: cacheA + "/catalog.sqlite"))
            let repaired = try Warren.run(["list", "--json"], repo: url, environment: hostA)
            #expect(repaired.status == 0 && (Self.ids(repaired)) == [first, secondID], "\(repaired.stdout) \(repaired.stderr)")

            // A manifest gone from the bucket (deleted elsewhere) drops its backup from the cache.
            try server.client().deleteObject("fleet/rabbit/manifests/" + String(format: "%020d", secondID))
            let afterDrop = try Warren.run(["list", "--json"], repo: url, environment: hostA)
            #expect(Self.ids(afterDrop) == [first], "\(afterDrop.stdout) \(afterDrop.stderr)")
        }
    }

    /// A wrong secret key: exit 2, "signature does not match", and nothing written in the
    /// bucket or in the cache, for init, list and register.
    @Test func wrongSecretKeyIsExit2AndWritesNothing() throws {
        let work = NSTemporaryDirectory() + "warren-s3wrong-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-wrong") { server in
            let url = server.location(prefix: "wrong").description
            let wrong = Self.host(server, cache: work + "/cache-wrong", secret: "not-the-secret")
            let refused = try Warren.run(["init", "--json"], repo: url, environment: wrong)
            #expect(refused.status == 2 && Self.errorCode(refused) == "s3_signature_mismatch", "\(refused.stdout) \(refused.stderr)")
            #expect(refused.stderr.contains("signature does not match"), "\(refused.stderr)")
            #expect(try server.client().listObjects(prefix: "wrong/").isEmpty)

            #expect(try Warren.run(["init"], repo: url, environment: Self.host(server, cache: work + "/cache-right")).status == 0)
            let before = try server.client().listObjects(prefix: "wrong/").map(\.key)
            try SyntheticBackup.make(at: work + "/b")
            for arguments in [["list", "--json"], ["register", work + "/b", "--node", "rabbit@a", "--json"], ["verify", "1", "--json"]] {
                let result = try Warren.run(arguments, repo: url, environment: wrong)
                #expect(result.status == 2 && Self.errorCode(result) == "s3_signature_mismatch", "\(arguments): \(result.stdout) \(result.stderr)")
            }
            #expect(try server.client().listObjects(prefix: "wrong/").map(\.key) == before)
            #expect(!FileManager.default.fileExists(atPath: work + "/cache-wrong"))
        }
    }
}
