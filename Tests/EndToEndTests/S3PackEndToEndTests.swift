import Foundation
import Testing
@testable import WarrenCore

#if canImport(Glibc)
import Glibc
#endif

/// Issue 11, "small files are packed", through the real binary against a real SeaweedFS:
/// a register of 2,000 small files costs at most 1 PUT per 100 of them and verifies and
/// exports byte for byte, from this host and from another; no small file's content is on the
/// server's disk in an encrypted bucket; prune deletes a pack all of whose objects are
/// unreferenced and keeps one still partly referenced; a pack without an index is reported
/// by `check` and deleted by `gc` after the safety window; SIGKILLs during packed registers
/// leave `check` clean and nothing referenced missing.
@Suite(.serialized) struct S3PackEndToEndTests {
    static let marker = "PACKED-SMALL-FILE-secret-4711"

    static func host(_ server: SeaweedServer, _ cache: String) -> [String: String] { S3RepositoryEndToEndTests.host(server, cache: cache) }
    static func object(_ result: CommandResult) -> [String: Any]? { S3RepositoryEndToEndTests.object(result) }

    /// The count of `kind` requests in a `-v` run's stderr ("warren: s3 requests: PUT 3, GET 2, …").
    static func requests(_ kind: String, _ stderr: String) -> Int? {
        guard let line = stderr.split(separator: "\n").last(where: { $0.contains("s3 requests:") }) else { return nil }
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "," })
        guard let at = fields.firstIndex(where: { $0 == kind[...] }), at + 1 < fields.count else { return 0 }
        return Int(fields[at + 1])
    }

    /// The requests line of a `-v` run's stderr.
    static func requestLine(_ stderr: String) -> String {
        stderr.split(separator: "\n").last(where: { $0.contains("s3 requests:") }).map(String.init) ?? "(none)"
    }

    /// The pack ids under `prefix/packs/` and `prefix/pack-indexes/`.
    static func packs(_ server: SeaweedServer, _ prefix: String) throws -> (packs: Set<String>, indexes: Set<String>) {
        let client = server.client()
        let packs = try client.listObjects(prefix: prefix + "/packs/").map { String($0.key.dropFirst(prefix.count + 7)) }
        let indexes = try client.listObjects(prefix: prefix + "/pack-indexes/").map { String($0.key.dropFirst(prefix.count + 14)) }
        return (Set(packs), Set(indexes))
    }

    static func identical(_ a: String, _ b: String) throws -> CommandResult {
        try Command.run("/usr/bin/diff", ["-r", "-q", a, b])
    }

    // MARK: - 1, 2, 4. PUTs per small file, verify and export from two hosts, no plaintext on disk

    @Test func smallFilesArePackedVerifiedExportedFromTwoHostsAndSealed() throws {
        let work = NSTemporaryDirectory() + "warren-s3pack-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let passwordFile = work + "/pw"
        FileManager.default.createFile(atPath: passwordFile, contents: Data("packed\n".utf8), attributes: [.posixPermissions: 0o600])
        try SeaweedServer.with("s3-pack") { server in
            let prefix = "packed"
            let url = server.location(prefix: prefix).description
            let hostA = Self.host(server, work + "/cache-a").merging(["WARREN_PASSWORD_FILE": passwordFile]) { $1 }
            let hostB = Self.host(server, work + "/cache-b").merging(["WARREN_PASSWORD_FILE": passwordFile]) { $1 }
            #expect(try Warren.run(["init"], repo: url, environment: hostA).status == 0)

            // 2,000 small files: 1,994 rdq files of 4 KiB, one with a marker in it, and the
            // definitions, `.vhost`, `.config`, `.queue_name` and a shared 64 KiB rdq file.
            // (Tools/bench.d/small-tree.py's random index files would not verify.)
            let tree = work + "/tree"
            try SyntheticBackup.make(at: tree, uniqueFiles: 1994, uniqueBytes: 4096, seed: 7)
            let vhost = tree + "/msg_stores/vhosts/" + RabbitDirectoryName.vhost("/")
            try SyntheticBackup.write(vhost + "/msg_store_persistent/7.rdq", Array(String(repeating: Self.marker + ":", count: 64).utf8))
            let registered = try Warren.run(["register", tree, "--node", "rabbit@a", "--json", "-v"], repo: url, environment: hostA)
            #expect(registered.status == 0, "\(registered.stdout) \(registered.stderr)")
            let id = try #require(Self.object(registered)?["id"] as? Int, "\(registered.stdout)")
            let puts = try #require(Self.requests("PUT", registered.stderr), "\(registered.stderr)")
            print("S3Pack register of 2,000 small files: \(Self.requestLine(registered.stderr))")
            #expect(puts <= 20, "at most 1 PUT per 100 small files: \(Self.requestLine(registered.stderr))")
            // No HEAD per new small file: the pack indexes say what is there.
            let heads = Self.requests("HEAD", registered.stderr) ?? 0
            #expect(heads <= 20, "HEADs do not grow with the small files: \(Self.requestLine(registered.stderr))")
            let (packs, indexes) = try Self.packs(server, prefix)
            #expect(!packs.isEmpty && packs == indexes, "every pack has its index: \(packs) \(indexes)")
            let loose = try server.client().listObjects(prefix: prefix + "/objects/").count
            #expect(loose == 0, "nothing small is loose: \(loose)")

            // verify --full and export on this host: byte for byte.
            let verified = try Warren.run(["verify", String(id), "--full", "--json", "-v"], repo: url, environment: hostA)
            #expect(verified.status == 0 && !verified.stdout.contains("\"object_"), "\(verified.stdout) \(verified.stderr)")
            #expect((Self.object(verified)?["checked_objects"] as? Int ?? 0) >= 1999, "every distinct object read back: \(verified.stdout)")
            print("S3Pack verify --full: \(Self.requestLine(verified.stderr))")
            let exported = work + "/export-a"
            let export = try Warren.run(["export", String(id), exported], repo: url, environment: hostA)
            #expect(export.status == 0, "\(export.stdout) \(export.stderr)")
            let same = try Self.identical(tree, exported)
            #expect(same.status == 0, "\(same.stdout) \(same.stderr)")

            // Another host (its own cache) lists, verifies --full and exports it.
            let listedB = try Warren.run(["list", "--json"], repo: url, environment: hostB)
            #expect(S3RepositoryEndToEndTests.ids(listedB) == [id], "\(listedB.stdout) \(listedB.stderr)")
            let verifiedB = try Warren.run(["verify", String(id), "--full", "--json", "-v"], repo: url, environment: hostB)
            #expect(verifiedB.status == 0 && !verifiedB.stdout.contains("\"object_"), "\(verifiedB.stdout) \(verifiedB.stderr)")
            // B keeps copies of the indexes (0600, named by pack): its next command GETs none of them.
            let cacheB = work + "/cache-b/warren"
            let indexCopies = cacheB + "/" + (try FileManager.default.contentsOfDirectory(atPath: cacheB).first ?? "") + "/pack-indexes"
            let copies = Set(try FileManager.default.contentsOfDirectory(atPath: indexCopies))
            #expect(copies == indexes, "a copy of every index: \(copies) \(indexes)")
            for copy in copies {
                let mode = try #require(try FileManager.default.attributesOfItem(atPath: indexCopies + "/" + copy)[.posixPermissions] as? Int)
                #expect(mode == 0o600, "\(copy): \(String(mode, radix: 8))")
            }
            // Two exports, which write nothing to the bucket: the first without the copies (it
            // GETs every index and keeps it again), the second with them (it GETs none).
            // (A `list` first, so that neither export reads the verdict the verify wrote.)
            #expect(try Warren.run(["list"], repo: url, environment: hostB).status == 0)
            try FileManager.default.removeItem(atPath: indexCopies)
            let exportedB = work + "/export-b"
            let coldExport = try Warren.run(["export", String(id), exportedB, "-v"], repo: url, environment: hostB)
            #expect(coldExport.status == 0, "\(coldExport.stdout) \(coldExport.stderr)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: indexCopies)) == indexes)
            let warmExport = try Warren.run(["export", String(id), work + "/export-b2", "-v"], repo: url, environment: hostB)
            #expect(warmExport.status == 0, "\(warmExport.stdout) \(warmExport.stderr)")
            let getsCold = try #require(Self.requests("GET", coldExport.stderr)), getsWarm = try #require(Self.requests("GET", warmExport.stderr))
            #expect(getsCold - getsWarm == indexes.count,
                    "the indexes read once: \(Self.requestLine(coldExport.stderr)), then \(Self.requestLine(warmExport.stderr))")
            let sameB = try Self.identical(tree, exportedB)
            #expect(sameB.status == 0, "\(sameB.stdout) \(sameB.stderr)")

            // Host B registers the same tree again: every object deduplicated against A's packs.
            let again = try Warren.run(["register", tree, "--node", "rabbit@b", "--json", "-v"], repo: url, environment: hostB)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try Self.packs(server, prefix).packs == packs, "no new pack for content already packed")
            print("S3Pack second register (all deduplicated), other host: \(Self.requestLine(again.stderr))")
            let checked = try Warren.run(["check", "--json"], repo: url, environment: hostB)
            #expect(checked.status == 0, "\(checked.stdout) \(checked.stderr)")

            // No small file's content on the server's disk; a plaintext control object is found.
            let grep = "grep -rlaF -e '\(Self.marker):' '\(server.directory)'"
            let sealed = try Command.run("/bin/sh", ["-c", grep])
            #expect(sealed.status == 1 && sealed.stdout.isEmpty, "found in: \(sealed.stdout) \(sealed.stderr)")
            _ = try server.client().putObject("control/plain", Array("control \(Self.marker):".utf8))
            let control = try Command.run("/bin/sh", ["-c", grep])
            #expect(control.status == 0 && !control.stdout.isEmpty, "the control object is found: \(control.stderr)")
        }
    }

    // MARK: - 3. Prune and gc: a dead pack goes, a partly referenced one stays

    @Test func pruneDeletesDeadPacksKeepsPartlyReferencedOnesAndGcRemovesUnindexedPacks() throws {
        let work = NSTemporaryDirectory() + "warren-s3packgc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-pack-gc") { server in
            let prefix = "gc"
            let url = server.location(prefix: prefix).description
            let env = Self.host(server, work + "/cache")
            #expect(try Warren.run(["init", "--no-encryption"], repo: url, environment: env).status == 0)
            var packsOf: [Set<String>] = []
            var ids: [Int] = []
            for day in 1...3 {
                let before = try Self.packs(server, prefix).packs
                let dir = work + "/b\(day)"
                try SyntheticBackup.make(at: dir, uniqueFiles: 30)
                let result = try Warren.run(["register", dir, "--node", "rabbit@a", "--taken-at", "2026-01-0\(day)T00:00:00Z", "--json"],
                                            repo: url, environment: env)
                #expect(result.status == 0, "\(result.stderr)")
                ids.append(try #require(Self.object(result)?["id"] as? Int))
                packsOf.append(try Self.packs(server, prefix).packs.subtracting(before))
            }
            // The first pack also holds the files every backup shares; the second only its own.
            #expect(packsOf.allSatisfy { $0.count == 1 }, "one pack per register: \(packsOf)")
            let (first, second, third) = (packsOf[0].first ?? "", packsOf[1].first ?? "", packsOf[2].first ?? "")
            let indexBefore = try #require(try server.client().getObject(prefix + "/pack-indexes/" + first))

            let pruned = try Warren.run(["prune", "--keep-last", "1", "--node", "rabbit@a", "--json"], repo: url, environment: env)
            #expect(pruned.status == 0 && Self.object(pruned)?["removed_count"] as? Int == 2, "\(pruned.stdout) \(pruned.stderr)")
            let after = try Self.packs(server, prefix)
            #expect(!after.packs.contains(second) && !after.indexes.contains(second), "the dead pack and its index are gone: \(after)")
            #expect(after.packs == [first, third] && after.indexes == [first, third], "\(after)")
            let indexAfter = try #require(try server.client().getObject(prefix + "/pack-indexes/" + first))
            #expect(indexAfter.count < indexBefore.count, "the partly referenced pack's index lost its dead objects")

            // What is left verifies, check finds nothing unreferenced, a gc has nothing to free.
            let verified = try Warren.run(["verify", String(ids[2]), "--full", "--json"], repo: url, environment: env)
            #expect(verified.status == 0 && !verified.stdout.contains("\"object_"), "\(verified.stdout) \(verified.stderr)")
            let checked = try Warren.run(["check", "--json"], repo: url, environment: env)
            #expect(checked.status == 0, "\(checked.stdout) \(checked.stderr)")
            let collected = try Warren.run(["gc", "--safety-window", "0", "--json"], repo: url, environment: env)
            #expect(collected.status == 0 && Self.object(collected)?["freed_objects"] as? Int == 0, "\(collected.stdout) \(collected.stderr)")
            let fresh = Self.host(server, work + "/fresh")
            let verifiedFresh = try Warren.run(["verify", String(ids[2]), "--full", "--json"], repo: url, environment: fresh)
            #expect(verifiedFresh.status == 0 && !verifiedFresh.stdout.contains("\"object_"), "\(verifiedFresh.stdout) \(verifiedFresh.stderr)")

            // A pack without an index (a writer killed between the two PUTs): reported, kept
            // while young, deleted after the safety window.
            let orphan = String(repeating: "ab", count: 32)
            _ = try server.client().putObject(prefix + "/packs/" + orphan, Array("half a pack".utf8))
            let reported = try Warren.run(["check", "--json"], repo: url, environment: env)
            let findings = (Self.object(reported)?["findings"] as? [[String: Any]]) ?? []
            #expect(findings.contains { $0["code"] as? String == "pack_unindexed" && $0["severity"] as? String == "warning" },
                    "\(reported.stdout) \(reported.stderr)")
            let kept = try Warren.run(["gc", "--json"], repo: url, environment: env)
            #expect(kept.status == 0 && Self.object(kept)?["young_packs_kept"] as? Int == 1, "\(kept.stdout) \(kept.stderr)")
            #expect(try Self.packs(server, prefix).packs.contains(orphan))
            let removed = try Warren.run(["gc", "--safety-window", "0", "--json"], repo: url, environment: env)
            #expect(removed.status == 0 && Self.object(removed)?["unindexed_packs_removed"] as? Int == 1, "\(removed.stdout) \(removed.stderr)")
            #expect(try Self.packs(server, prefix).packs == [first, third])
            let clean = try Warren.run(["check", "--json"], repo: url, environment: env)
            #expect(clean.status == 0 && !clean.stdout.contains("pack_unindexed"), "\(clean.stdout) \(clean.stderr)")
        }
    }

    // MARK: - 5. SIGKILL during packed registers

    @Test func sigkillDuringPackedRegisters() throws {
        let work = NSTemporaryDirectory() + "warren-s3packkill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        try SeaweedServer.with("s3-pack-kill") { server in
            let prefix = "kill"
            let url = server.location(prefix: prefix).description
            let live = Self.host(server, work + "/cache")
            #expect(try Warren.run(["init", "--no-encryption"], repo: url, environment: live).status == 0)
            // 1,500 small files a register (one pack of about 3 MiB, its index, then the manifest);
            // a pack left without its index is made by hand in the gc test above.
            var made = 0
            func tree() throws -> String {
                made += 1
                let dir = work + "/t\(made)"
                try SyntheticBackup.make(at: dir, uniqueFiles: 1500, uniqueBytes: 2048)
                return dir
            }
            let firstTree = try tree()
            let first = try Warren.run(["register", firstTree, "--node", "rabbit@a"], repo: url, environment: live)
            #expect(first.status == 0, "\(first.stderr)")
            // Kills at once (nothing uploaded), with the pack up and no index, with the index up
            // and no manifest, and with the manifest up (the catalog commit not seen).
            func state() throws -> (packs: Int, indexes: Int, manifests: Int) {
                let (packs, indexes) = try Self.packs(server, prefix)
                return (packs.count, indexes.count, try S3FleetEndToEndTests.counts(server, prefix).manifests)
            }
            var dirs: [Int: String] = [:]
            var fresh = 0
            let loop = try SteppedKills.loop(wanted: 5, kind: "packed register", distinctPoints: 3, prepare: { dirs[$0] = try tree() }, point: { run in
                let before = try state()
                switch run % 4 {
                case 1: return .init(name: "start", reached: { true })
                case 2: return .init(name: "pack up", reached: { try state().packs > before.packs }, overshot: { try state().indexes > before.indexes })
                case 3: return .init(name: "index up", reached: { try state().indexes > before.indexes }, overshot: { try state().manifests > before.manifests })
                default: return .init(name: "manifest up", reached: { try state().manifests > before.manifests })
                }
            }, start: { run in
                try S3FleetEndToEndTests.spawn(["register", dirs[run]!, "--node", "rabbit@a"], url, live)
            }, recovered: { run in
                fresh += 1
                try S3FleetEndToEndTests.assertRecovered(url, live, fresh: Self.host(server, work + "/fresh-\(fresh)"), run: run)
            })
            // gc after the window removes what the kills left (unindexed packs, unreferenced objects).
            let collected = try Warren.run(["gc", "--safety-window", "0", "--json"], repo: url, environment: live)
            #expect(collected.status == 0, "\(collected.stdout) \(collected.stderr)")
            let checked = try Warren.run(["check", "--json"], repo: url, environment: live)
            #expect(checked.status == 0 && !checked.stdout.contains("pack_unindexed") && !checked.stdout.contains("objects_unreferenced"),
                    "\(checked.stdout) \(checked.stderr)")
            let (packs, indexes) = try Self.packs(server, prefix)
            #expect(packs == indexes, "every pack left has its index: \(packs.symmetricDifference(indexes))")
            let listed = try Warren.run(["list", "--json"], repo: url, environment: live)
            try S3FleetEndToEndTests.verifyAll(url, live, ids: S3FleetEndToEndTests.complete(listed).keys.sorted(), who: "after the kills")
            print("S3Pack kill loop: \(loop.runs) runs, \(loop.kills) SIGKILLs at \(loop.hit); gc \(collected.stdout)")
        }
    }
}
