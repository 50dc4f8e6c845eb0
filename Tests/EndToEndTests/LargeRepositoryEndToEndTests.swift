import Foundation
import GRDB
import Testing
import WarrenCore

/// Issue 12 §2: `check` and `gc` crashed with SIGSEGV on repositories of ~100,000 objects
/// (the directory listing copied the whole fixed-size `dirent` out of `readdir`'s shorter
/// record and read past the kernel buffer). The real binary, on a repository of 150,000
/// objects, in separate processes exactly as an operator runs it.
@Suite(.serialized) struct LargeRepositoryEndToEndTests {
    static let objectCount = 150_000
    static let unreferenced = 2_000

    /// Writes `count` small objects straight into `objects/`, each named by the SHA-256 of
    /// its content (no fsync: this is test data, and 150,000 fsyncs would take minutes).
    static func fillObjects(_ repo: String, count: Int) throws -> [(id: ObjectID, size: Int64)] {
        var written: [(ObjectID, Int64)] = []
        var fanouts = Set<String>()
        for i in 0..<count {
            let content = Array("warren test object \(i)\n".utf8)
            let id = content.withUnsafeBytes { ObjectStore.digest($0) }
            let hex = id.hex
            let fanout = String(hex.prefix(2))
            let directory = repo + "/objects/" + fanout
            if fanouts.insert(fanout).inserted { mkdir(directory, 0o700) }
            let fd = open(directory + "/" + hex, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o400)
            guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            let n = content.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard n == content.count else { throw POSIXError(.EIO) }
            written.append((id, Int64(content.count)))
        }
        return written
    }

    /// Runs warren and requires a normal exit (a signal shows as status 128 + N).
    static func run(_ arguments: [String], repo: String) throws -> (status: Int32, json: [String: Any]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Warren.binary)
        process.arguments = arguments + ["--repo", repo, "--json"]
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("warren-large-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        let data = (try? Data(contentsOf: out)) ?? Data()
        return (status, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    /// Most objects are referenced by a backup (as in a real repository, and so that gc
    /// walks all of them but deletes only a few thousand: deleting 150,000 files would make
    /// the test minutes long without listing anything more).
    @Test func checkAndGCList150000ObjectsWithoutCrashing() throws {
        let work = NSTemporaryDirectory() + "warren-large-\(UUID().uuidString)"
        // rm(1): Foundation's removeItem takes minutes over 150,000 files.
        defer { _ = try? Command.run("/bin/rm", ["-rf", work]) }
        let repo = work + "/repo"
        try Command.check(Warren.binary, ["init", "--no-encryption", "--repo", repo])   // plaintext: objects are made by their plain SHA-256
        try SyntheticBackup.make(at: work + "/b")
        let id = Int64(try Command.check(Warren.binary, ["register", work + "/b", "--node", "rabbit@a", "--repo", repo])
            .trimmingCharacters(in: .whitespacesAndNewlines))!
        var clock = Date()
        func lap(_ what: String) {
            print("large repository: \(what) in \(String(format: "%.1f", Date().timeIntervalSince(clock))) s")
            clock = Date()
        }
        let objects = try Self.fillObjects(repo, count: Self.objectCount)
        let garbage = objects.suffix(Self.unreferenced)
        let referenced = objects.dropLast(Self.unreferenced)
        try DatabaseQueue(path: repo + "/catalog.sqlite").write { db in
            let file = try db.makeStatement(sql: "INSERT INTO manifest_file (backup_id, path, size, sha256, kind) VALUES (?, ?, ?, ?, 'other')")
            let row = try db.makeStatement(sql: "INSERT INTO object (sha256, size, stored_at) VALUES (?, ?, '2026-11-21T00:00:00Z')")
            for (i, object) in referenced.enumerated() {
                try file.execute(arguments: [id, "bulk/\(i)", object.size, Data(object.id.bytes)])
                try row.execute(arguments: [Data(object.id.bytes), object.size])
            }
        }
        // The rows were added behind Warren's back: its manifest goes, and `catalog upgrade`
        // writes it again from the catalog (issue 17), as for a repository of the shipped format.
        unlink(repo + "/" + StorageName.manifest(backupID: id).path)
        try Command.check(Warren.binary, ["catalog", "upgrade", "--repo", repo])
        lap("\(Self.objectCount) objects written, \(referenced.count) referenced")

        // Before the fix: SIGSEGV (status 139) at this size.
        let check = try Self.run(["check", "--dry-run"], repo: repo)
        #expect(check.status == 1, "check --dry-run exited \(check.status) (139 = SIGSEGV)")
        #expect((check.json["stored_objects"] as? Int ?? 0) >= Self.objectCount, "\(check.json["stored_objects"] ?? "nil")")
        let findings = check.json["findings"] as? [[String: Any]] ?? []
        #expect(findings.compactMap { $0["code"] as? String } == ["objects_unreferenced"], "\(findings)")
        #expect(findings.first?["count"] as? Int == Self.unreferenced)
        #expect(findings.first?["bytes"] as? Int == Int(garbage.reduce(0) { $0 + $1.size }))
        lap("check --dry-run")

        let dryGC = try Self.run(["gc", "--dry-run"], repo: repo)
        #expect(dryGC.status == 0, "gc --dry-run exited \(dryGC.status) (139 = SIGSEGV)")
        #expect(dryGC.json["freed_objects"] as? Int == Self.unreferenced)
        lap("gc --dry-run")

        let gc = try Self.run(["gc"], repo: repo)
        #expect(gc.status == 0, "gc exited \(gc.status) (139 = SIGSEGV)")
        #expect(gc.json["freed_objects"] as? Int == Self.unreferenced)
        #expect(garbage.allSatisfy { !FileManager.default.fileExists(atPath: repo + "/objects/" + String($0.id.hex.prefix(2)) + "/" + $0.id.hex) })
        lap("gc")

        // check finds every referenced object in place (object_missing otherwise).
        let clean = try Self.run(["check"], repo: repo)
        #expect(clean.status == 0 && clean.json["clean"] as? Bool == true, "\(clean.status): \(clean.json)")
        #expect(clean.json["referenced_objects"] as? Int ?? 0 >= referenced.count)
        lap("check")
    }
}
